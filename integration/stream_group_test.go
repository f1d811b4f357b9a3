package integration

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestStreamGroupWorkers is the consumer-group contract end to end: a
// producer and three consumers of one group; one consumer dies holding
// entries it never acknowledged, and a survivor takes them over with
// XAUTOCLAIM. Every entry is processed at least once and acknowledged
// exactly once (XACK answers 1 once per entry across all consumers).
func TestStreamGroupWorkers(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) { runStreamWorkers(t, proto) })
	}
}

func runStreamWorkers(t *testing.T, proto int) {
	const (
		total   = 600
		stream  = "jobs"
		group   = "workers"
		minIdle = 150 * time.Millisecond
	)
	inst := startFerrite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := newGoRedis(t, inst, proto)
	if err := admin.XGroupCreateMkStream(ctx, stream, group, "0").Err(); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	processed := make(map[int]int) // entry number -> times processed
	acked := make(map[int]int)     // entry number -> XACK replies of 1
	ackedTotal := 0
	process := func(msgs []redis.XMessage) []string {
		ids := make([]string, 0, len(msgs))
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			n, err := strconv.Atoi(fmt.Sprint(m.Values["n"]))
			if err != nil {
				t.Errorf("entry %s: bad value %v", m.ID, m.Values)
				continue
			}
			processed[n]++
			ids = append(ids, m.ID)
		}
		return ids
	}
	ack := func(c *redis.Client, msgs []redis.XMessage, ids []string) {
		for i, id := range ids {
			got, err := c.XAck(ctx, stream, group, id).Result()
			if err != nil {
				t.Errorf("XACK %s: %v", id, err)
				return
			}
			n, _ := strconv.Atoi(fmt.Sprint(msgs[i].Values["n"]))
			mu.Lock()
			acked[n] += int(got)
			ackedTotal += int(got)
			mu.Unlock()
		}
	}
	done := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return ackedTotal >= total
	}

	var wg sync.WaitGroup
	// The producer.
	wg.Add(1)
	go func() {
		defer wg.Done()
		p := newGoRedis(t, inst, proto)
		for i := 0; i < total; i++ {
			if err := p.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"n", i}}).Err(); err != nil {
				t.Errorf("XADD: %v", err)
				return
			}
			if i%50 == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()

	// The consumer that dies: it reads two batches and acknowledges none.
	doomed := newGoRedis(t, inst, proto)
	var doomedIDs []string
	for len(doomedIDs) < 20 {
		res, err := doomed.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: "doomed", Streams: []string{stream, ">"}, Count: 10, Block: time.Second}).Result()
		if err != nil {
			t.Fatalf("doomed read: %v", err)
		}
		for _, m := range res[0].Messages {
			doomedIDs = append(doomedIDs, m.ID)
		}
		process(res[0].Messages)
	}
	doomed.Close()

	// Two survivors; c1 also reclaims what has been idle too long.
	for _, name := range []string{"c1", "c2"} {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			c := newGoRedis(t, inst, proto)
			next := "0-0"
			for !done() && ctx.Err() == nil {
				if name == "c1" {
					msgs, cursor, err := c.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: stream, Group: group, Consumer: name, MinIdle: minIdle, Start: next, Count: 25}).Result()
					if err != nil {
						t.Errorf("XAUTOCLAIM: %v", err)
						return
					}
					next = cursor
					ack(c, msgs, process(msgs))
				}
				res, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: name, Streams: []string{stream, ">"}, Count: 10, Block: 50 * time.Millisecond}).Result()
				if err == redis.Nil {
					continue
				}
				if err != nil {
					t.Errorf("%s read: %v", name, err)
					return
				}
				for _, s := range res {
					ack(c, s.Messages, process(s.Messages))
				}
			}
		}(name)
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("timed out with %d of %d acknowledged", ackedTotal, total)
	}

	for i := 0; i < total; i++ {
		if processed[i] < 1 || acked[i] != 1 {
			t.Errorf("entry %d: processed %d times, acknowledged %d times", i, processed[i], acked[i])
		}
	}
	// The doomed consumer's entries were processed twice: once by it, once
	// after the takeover.
	for _, id := range doomedIDs[:1] {
		res, err := admin.XRange(ctx, stream, id, id).Result()
		if err != nil || len(res) != 1 {
			t.Fatalf("XRANGE %s: %v %v", id, res, err)
		}
		n, _ := strconv.Atoi(fmt.Sprint(res[0].Values["n"]))
		if processed[n] != 2 {
			t.Errorf("entry %d held by the dead consumer was processed %d times", n, processed[n])
		}
	}
	pending, err := admin.XPending(ctx, stream, group).Result()
	if err != nil || pending.Count != 0 {
		t.Errorf("XPENDING after the run: %+v %v", pending, err)
	}
	info, err := admin.XInfoGroups(ctx, stream).Result()
	if err != nil || len(info) != 1 || info[0].Lag != 0 || info[0].EntriesRead != total || info[0].LastDeliveredID == "" {
		t.Errorf("XINFO GROUPS: %+v %v", info, err)
	}
	consumers, err := admin.XInfoConsumers(ctx, stream, group).Result()
	if err != nil || len(consumers) != 3 || consumers[2].Name != "doomed" || consumers[2].Pending != 0 {
		t.Errorf("XINFO CONSUMERS: %+v %v", consumers, err)
	}
}
