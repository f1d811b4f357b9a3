package integration

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestGoRedisPubSub drives SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE and PUBLISH
// through go-redis's PubSub, which parses the confirmations and messages
// (arrays in RESP2, pushes in RESP3) and pings in subscribed mode.
func TestGoRedisPubSub(t *testing.T) {
	forEachProto(t, func(t *testing.T, c *redis.Client) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ps := c.Subscribe(ctx, "news")
		defer ps.Close()
		if _, err := ps.Receive(ctx); err != nil { // subscribe confirmation
			t.Fatalf("SUBSCRIBE: %v", err)
		}
		if err := ps.PSubscribe(ctx, "n*"); err != nil {
			t.Fatalf("PSUBSCRIBE: %v", err)
		}
		if _, err := ps.Receive(ctx); err != nil {
			t.Fatalf("PSUBSCRIBE confirmation: %v", err)
		}
		if err := ps.Ping(ctx, "hi"); err != nil {
			t.Fatalf("PING in subscribed mode: %v", err)
		}
		if msg, err := ps.Receive(ctx); err != nil {
			t.Fatalf("PING reply: %v", err)
		} else if p, ok := msg.(*redis.Pong); !ok || p.Payload != "hi" {
			t.Fatalf("PING reply: %#v", msg)
		}
		if n, err := c.Publish(ctx, "news", "hello").Result(); err != nil || n != 2 {
			t.Fatalf("PUBLISH: %d, %v", n, err)
		}
		m1, err := ps.ReceiveMessage(ctx)
		if err != nil || m1.Channel != "news" || m1.Pattern != "" || m1.Payload != "hello" {
			t.Fatalf("message: %+v, %v", m1, err)
		}
		m2, err := ps.ReceiveMessage(ctx)
		if err != nil || m2.Channel != "news" || m2.Pattern != "n*" || m2.Payload != "hello" {
			t.Fatalf("pmessage: %+v, %v", m2, err)
		}
		if got, err := c.PubSubNumSub(ctx, "news", "none").Result(); err != nil || got["news"] != 1 || got["none"] != 0 {
			t.Fatalf("PUBSUB NUMSUB: %v, %v", got, err)
		}
		if n, err := c.PubSubNumPat(ctx).Result(); err != nil || n != 1 {
			t.Fatalf("PUBSUB NUMPAT: %d, %v", n, err)
		}

		sps := c.SSubscribe(ctx, "shard")
		defer sps.Close()
		if _, err := sps.Receive(ctx); err != nil {
			t.Fatalf("SSUBSCRIBE: %v", err)
		}
		if n, err := c.SPublish(ctx, "shard", "s").Result(); err != nil || n != 1 {
			t.Fatalf("SPUBLISH: %d, %v", n, err)
		}
		if m, err := sps.ReceiveMessage(ctx); err != nil || m.Channel != "shard" || m.Payload != "s" {
			t.Fatalf("smessage: %+v, %v", m, err)
		}
	})
}
