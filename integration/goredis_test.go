package integration

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// newGoRedis connects go-redis with the given protocol version (2 or 3);
// go-redis negotiates it with HELLO on every new connection.
func newGoRedis(t *testing.T, inst *instance, proto int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:         inst.Addr,
		Protocol:     proto,
		DialTimeout:  5 * time.Second,
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		MaxRetries:   -1, // a retry would hide a dropped connection
	})
	t.Cleanup(func() { c.Close() })
	return c
}

// forEachProto runs f on a fresh server once per protocol version.
func forEachProto(t *testing.T, f func(t *testing.T, c *redis.Client)) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			c := newGoRedis(t, startFerrite(t), proto)
			f(t, c)
		})
	}
}

func TestGoRedisHello(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx := context.Background()
		if err := c.Ping(ctx).Err(); err != nil {
			t.Fatalf("PING: %v", err)
		}
		proto := c.Options().Protocol
		// HELLO without a version reports the protocol the connection uses.
		m, err := c.Do(ctx, "HELLO").Result()
		if err != nil {
			t.Fatalf("HELLO: %v", err)
		}
		var got any
		switch v := m.(type) {
		case map[any]any: // RESP3 map
			got = v["proto"]
		case []any: // RESP2 flat array
			for i := 0; i+1 < len(v); i += 2 {
				if v[i] == "proto" {
					got = v[i+1]
				}
			}
		}
		if got != int64(proto) {
			t.Fatalf("HELLO reports proto %v (%T), want %d; reply %v", got, got, proto, m)
		}
	})
}

func TestGoRedisStrings(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx := context.Background()
		if err := c.Set(ctx, "s", "hello", 0).Err(); err != nil {
			t.Fatalf("SET: %v", err)
		}
		if v, err := c.Get(ctx, "s").Result(); err != nil || v != "hello" {
			t.Fatalf("GET: %q %v", v, err)
		}
		if _, err := c.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
			t.Fatalf("GET missing: want redis.Nil, got %v", err)
		}
		for i := 1; i <= 3; i++ {
			if n, err := c.Incr(ctx, "n").Result(); err != nil || n != int64(i) {
				t.Fatalf("INCR: %d %v, want %d", n, err, i)
			}
		}
		if _, err := c.Incr(ctx, "s").Result(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
			t.Fatalf("INCR on a non-integer: %v", err)
		}
		if f, err := c.IncrByFloat(ctx, "n", 0.5).Result(); err != nil || f != 3.5 {
			t.Fatalf("INCRBYFLOAT: %v %v", f, err)
		}
		if ok, err := c.Expire(ctx, "s", 100*time.Second).Result(); err != nil || !ok {
			t.Fatalf("EXPIRE: %v %v", ok, err)
		}
		if ttl, err := c.TTL(ctx, "s").Result(); err != nil || ttl <= 90*time.Second || ttl > 100*time.Second {
			t.Fatalf("TTL: %v %v", ttl, err)
		}
		if ttl, err := c.TTL(ctx, "n").Result(); err != nil || ttl != -1 {
			t.Fatalf("TTL without expire: %v %v (go-redis gives -1ns)", ttl, err)
		}
		if ttl, err := c.TTL(ctx, "missing").Result(); err != nil || ttl != -2 {
			t.Fatalf("TTL of a missing key: %v %v", ttl, err)
		}
		if err := c.MSet(ctx, "a", "1", "b", "2").Err(); err != nil {
			t.Fatalf("MSET: %v", err)
		}
		vals, err := c.MGet(ctx, "a", "missing", "b").Result()
		if err != nil {
			t.Fatalf("MGET: %v", err)
		}
		if len(vals) != 3 || vals[0] != "1" || vals[1] != nil || vals[2] != "2" {
			t.Fatalf("MGET: %#v", vals)
		}
		if err := c.Set(ctx, "px", "v", 1500*time.Millisecond).Err(); err != nil {
			t.Fatalf("SET PX: %v", err)
		}
		if ttl, err := c.PTTL(ctx, "px").Result(); err != nil || ttl <= 0 || ttl > 1500*time.Millisecond {
			t.Fatalf("PTTL: %v %v", ttl, err)
		}
		if v, err := c.GetDel(ctx, "px").Result(); err != nil || v != "v" {
			t.Fatalf("GETDEL: %q %v", v, err)
		}
	})
}

// TestGoRedisPipeline: 1000 commands in one pipeline, every reply in order.
func TestGoRedisPipeline(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx := context.Background()
		const n = 1000
		cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := 0; i < n/2; i++ {
				p.Set(ctx, "p:"+strconv.Itoa(i), i, 0)
				p.Incr(ctx, "p:"+strconv.Itoa(i))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("pipeline: %v", err)
		}
		if len(cmds) != n {
			t.Fatalf("%d replies for %d commands", len(cmds), n)
		}
		for i := 0; i < n/2; i++ {
			if s, err := cmds[2*i].(*redis.StatusCmd).Result(); err != nil || s != "OK" {
				t.Fatalf("SET %d: %q %v", i, s, err)
			}
			if v, err := cmds[2*i+1].(*redis.IntCmd).Result(); err != nil || v != int64(i+1) {
				t.Fatalf("INCR %d: %d %v", i, v, err)
			}
		}
		// And a read-back pipeline.
		gets := make([]*redis.StringCmd, n/2)
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := range gets {
				gets[i] = p.Get(ctx, "p:"+strconv.Itoa(i))
			}
			return nil
		}); err != nil {
			t.Fatalf("GET pipeline: %v", err)
		}
		for i, g := range gets {
			if v, err := g.Result(); err != nil || v != strconv.Itoa(i+1) {
				t.Fatalf("GET p:%d: %q %v", i, v, err)
			}
		}
	})
}

// TestGoRedisScan: SCAN visits every key that exists for the whole
// iteration at least once, and nothing else.
func TestGoRedisScan(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx := context.Background()
		const n = 10000
		want := make(map[string]bool, n)
		if _, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := 0; i < n; i += 100 {
				var kv []any
				for j := i; j < i+100; j++ {
					k := "scan:" + strconv.Itoa(j)
					want[k] = true
					kv = append(kv, k, j)
				}
				p.MSet(ctx, kv...)
			}
			return nil
		}); err != nil {
			t.Fatalf("MSET: %v", err)
		}
		if size, err := c.DBSize(ctx).Result(); err != nil || size != n {
			t.Fatalf("DBSIZE: %d %v", size, err)
		}
		seen := make(map[string]int, n)
		it := c.Scan(ctx, 0, "scan:*", 100).Iterator()
		for it.Next(ctx) {
			seen[it.Val()]++
		}
		if err := it.Err(); err != nil {
			t.Fatalf("SCAN: %v", err)
		}
		for k := range want {
			if seen[k] == 0 {
				t.Fatalf("SCAN never returned %q (%d distinct keys seen)", k, len(seen))
			}
		}
		for k := range seen {
			if !want[k] {
				t.Fatalf("SCAN returned %q, which was never set", k)
			}
		}
		// MATCH filters: only the 1111 keys scan:1*, scan:1** ... survive.
		matched := 0
		it = c.Scan(ctx, 0, "scan:1*", 1000).Iterator()
		uniq := map[string]bool{}
		for it.Next(ctx) {
			if !uniq[it.Val()] {
				uniq[it.Val()] = true
				matched++
			}
		}
		if err := it.Err(); err != nil || matched != 1111 {
			t.Fatalf("SCAN MATCH scan:1*: %d distinct keys, err %v, want 1111", matched, err)
		}
	})
}

// TestGoRedisTransactions: go-redis's TxPipeline (MULTI/EXEC) and Watch
// (optimistic locking with a retry loop) against Ferrite, including a
// concurrent writer that makes the first attempt fail.
func TestGoRedisTransactions(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx := context.Background()
		pipe := c.TxPipeline()
		incr := pipe.Incr(ctx, "tx:counter")
		pipe.Expire(ctx, "tx:counter", time.Hour)
		get := pipe.Get(ctx, "tx:counter")
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("TxPipeline: %v", err)
		}
		if incr.Val() != 1 || get.Val() != "1" {
			t.Fatalf("TxPipeline results: incr %d, get %q", incr.Val(), get.Val())
		}

		other := redis.NewClient(&redis.Options{Addr: c.Options().Addr, Protocol: c.Options().Protocol})
		defer other.Close()
		// tenfold multiplies the counter under WATCH; the first time,
		// another client writes between WATCH and EXEC, so EXEC fails.
		interfere := true
		tenfold := func(tx *redis.Tx) error {
			n, err := tx.Get(ctx, "tx:counter").Int()
			if err != nil {
				return err
			}
			if interfere {
				interfere = false
				if err := other.Incr(ctx, "tx:counter").Err(); err != nil {
					return err
				}
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "tx:counter", n*10, 0)
				return nil
			})
			return err
		}
		if err := c.Watch(ctx, tenfold, "tx:counter"); err != redis.TxFailedErr {
			t.Fatalf("first Watch attempt: err %v, want TxFailedErr", err)
		}
		if err := c.Watch(ctx, tenfold, "tx:counter"); err != nil {
			t.Fatalf("second Watch attempt: %v", err)
		}
		if v, _ := c.Get(ctx, "tx:counter").Result(); v != "20" {
			t.Fatalf("counter after the transactions: %q, want 20", v)
		}
	})
}
