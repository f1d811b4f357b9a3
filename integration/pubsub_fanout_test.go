package integration

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestPubSubManySubscribersAndASlowOne: 50 go-redis subscribers and one
// raw connection that subscribes and then never reads. The publisher must
// not stall on the slow one: it is disconnected when its output passes
// client-output-buffer-limit pubsub, and every other subscriber receives
// every message, in order.
func TestPubSubManySubscribersAndASlowOne(t *testing.T) {
	fer := startFerrite(t, "--client-output-buffer-limit", "pubsub", "2mb", "0", "0")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	slow := fer.dial(t)
	slow.expect("*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:1\r\n", "SUBSCRIBE", "feed")

	const subscribers, messages = 50, 2000
	payload := strings.Repeat("p", 4096)
	var wg sync.WaitGroup
	errs := make(chan error, subscribers)
	for i := 0; i < subscribers; i++ {
		c := redis.NewClient(&redis.Options{Addr: fer.Addr})
		t.Cleanup(func() { c.Close() })
		ps := c.Subscribe(ctx, "feed")
		t.Cleanup(func() { ps.Close() })
		if _, err := ps.Receive(ctx); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < messages; n++ {
				m, err := ps.ReceiveMessage(ctx)
				if err != nil {
					errs <- err
					return
				}
				if want := fmt.Sprintf("%d:%s", n, payload); m.Payload != want {
					errs <- fmt.Errorf("message %d: got %.20q", n, m.Payload)
					return
				}
			}
		}()
	}

	pub := redis.NewClient(&redis.Options{Addr: fer.Addr})
	t.Cleanup(func() { pub.Close() })
	for n := 0; n < messages; n += 100 {
		p := pub.Pipeline()
		for j := n; j < n+100; j++ {
			p.Publish(ctx, "feed", fmt.Sprintf("%d:%s", j, payload))
		}
		if _, err := p.Exec(ctx); err != nil {
			t.Fatalf("PUBLISH: %v", err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// The slow subscriber was cut off: the server closed its connection.
	_ = slow.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1<<20)
	for {
		if _, err := slow.r.Read(buf); err != nil {
			break // EOF or reset: closed by the server
		}
	}
	if n, err := pub.PubSubNumSub(ctx, "feed").Result(); err != nil || n["feed"] != subscribers {
		t.Fatalf("PUBSUB NUMSUB feed: %v, %v (want %d: the slow one gone)", n, err, subscribers)
	}
}
