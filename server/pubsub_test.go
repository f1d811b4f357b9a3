package server

import (
	"strings"
	"testing"
	"time"
)

// Expected bytes below were checked against redis-server 7.0.15.

func TestPubsubSubscribeRepliesRESP2(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", "UNSUBSCRIBE")
	c.expect("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", "PUNSUBSCRIBE")
	c.expect("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n", "SUNSUBSCRIBE")
	c.Send("SUBSCRIBE", "a", "b")
	if got := c.Read() + c.Read(); got != "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n" {
		t.Errorf("SUBSCRIBE a b: %q", got)
	}
	c.expect("*3\r\n$10\r\npsubscribe\r\n$2\r\nh*\r\n:3\r\n", "PSUBSCRIBE", "h*")
	// Shard channels count on their own.
	c.expect("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", "SSUBSCRIBE", "s1")
	c.expect("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "GET", "x")
	c.expect("-ERR Can't execute 'client|info': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "CLIENT", "INFO")
	c.expect("-ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "PUBLISH", "a", "x")
	c.expect("*2\r\n$4\r\npong\r\n$0\r\n\r\n", "PING")
	c.expect("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", "PING", "hi")
	c.Send("UNSUBSCRIBE", "a", "c")
	if got := c.Read() + c.Read(); got != "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:2\r\n" {
		t.Errorf("UNSUBSCRIBE a c: %q", got)
	}
	c.expect("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n", "UNSUBSCRIBE")
	c.expect("*3\r\n$12\r\npunsubscribe\r\n$2\r\nh*\r\n:0\r\n", "PUNSUBSCRIBE")
	// Still subscribed to a shard channel: still in subscribed mode.
	c.expect("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "GET", "x")
	c.expect("*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n", "SUNSUBSCRIBE")
	c.expect("*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n", "SUNSUBSCRIBE", "s1")
	c.expect("+PONG\r\n", "PING")
	c.expect("$-1\r\n", "GET", "x")
	c.Send("SUBSCRIBE", "a", "a")
	if got := c.Read() + c.Read(); got != "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n" {
		t.Errorf("SUBSCRIBE a a: %q", got)
	}
	c.expect("*3\r\n$12\r\npunsubscribe\r\n$1\r\nx\r\n:1\r\n", "PUNSUBSCRIBE", "x")
	c.expect("+RESET\r\n", "RESET")
	c.expect("+PONG\r\n", "PING")
	c.expect("*0\r\n", "PUBSUB", "CHANNELS")
}

func TestPubsubSubscribeRepliesRESP3(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("HELLO", "3")
	c.expect(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n", "UNSUBSCRIBE")
	c.expect(">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n", "PUNSUBSCRIBE")
	c.expect(">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n", "SUNSUBSCRIBE")
	c.expect(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", "SUBSCRIBE", "a")
	c.expect(">3\r\n$10\r\npsubscribe\r\n$2\r\nh*\r\n:2\r\n", "PSUBSCRIBE", "h*")
	c.expect(">3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", "SSUBSCRIBE", "s1")
	// RESP3 has no subscribed mode.
	c.expect("_\r\n", "GET", "x")
	c.expect("+PONG\r\n", "PING")
	c.expect("$2\r\nhi\r\n", "PING", "hi")
	// Its own message comes before the PUBLISH reply.
	c.Send("PUBLISH", "a", "x")
	if got := c.Read() + c.Read(); got != ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nx\r\n:1\r\n" {
		t.Errorf("PUBLISH to self: %q", got)
	}
	info := c.Do("CLIENT", "INFO")
	if !strings.Contains(info, " flags=P db=0 sub=1 psub=1 ssub=1 ") {
		t.Errorf("CLIENT INFO: %q", info)
	}
	c.expect(">3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n", "SUNSUBSCRIBE")
	c.expect(">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n", "UNSUBSCRIBE", "a")
	c.expect("+RESET\r\n", "RESET")
	info = c.Do("CLIENT", "INFO")
	if !strings.Contains(info, " flags=N db=0 sub=0 psub=0 ssub=0 ") {
		t.Errorf("CLIENT INFO after RESET: %q", info)
	}
	c.expect(":0\r\n", "PUBSUB", "NUMPAT")
}

func TestPubsubPublishDelivery(t *testing.T) {
	s := startServer(t)
	a := dial(t, s)
	a.Send("SUBSCRIBE", "ch1", "ch2")
	a.Read()
	a.Read()
	a.Send("PSUBSCRIBE", "c*", "ch?")
	a.Read()
	a.Read()
	b := dial(t, s)
	b.Do("HELLO", "3")
	b.Do("SUBSCRIBE", "ch1")
	b.Do("PSUBSCRIBE", "c*")
	b.Send("SSUBSCRIBE", "sh1", "sh2")
	b.Read()
	b.Read()
	p := dial(t, s)
	// a: ch1, c*, ch?; b: ch1, c*.
	p.expect(":5\r\n", "PUBLISH", "ch1", "hello")
	p.expect(":1\r\n", "SPUBLISH", "sh1", "x")
	p.expect(":0\r\n", "SPUBLISH", "ch1", "x")
	p.expect(":0\r\n", "PUBLISH", "sh1", "x")
	p.expect(":0\r\n", "PUBLISH", "zz", "y")
	p.expect(":2\r\n", "PUBLISH", "cx", "z")
	for _, want := range []string{
		"*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$5\r\nhello\r\n",
		"*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$3\r\nch1\r\n$5\r\nhello\r\n",
		"*4\r\n$8\r\npmessage\r\n$3\r\nch?\r\n$3\r\nch1\r\n$5\r\nhello\r\n",
		"*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\ncx\r\n$1\r\nz\r\n",
	} {
		if got := a.Read(); got != want {
			t.Errorf("a: got %q, want %q", got, want)
		}
	}
	for _, want := range []string{
		">3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$5\r\nhello\r\n",
		">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$3\r\nch1\r\n$5\r\nhello\r\n",
		">3\r\n$8\r\nsmessage\r\n$3\r\nsh1\r\n$1\r\nx\r\n",
		">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\ncx\r\n$1\r\nz\r\n",
	} {
		if got := b.Read(); got != want {
			t.Errorf("b: got %q, want %q", got, want)
		}
	}

	p.expect("*2\r\n$3\r\nch1\r\n$3\r\nch2\r\n", "PUBSUB", "CHANNELS")
	p.expect("*1\r\n$3\r\nch1\r\n", "PUBSUB", "CHANNELS", "ch1*")
	p.expect("*6\r\n$3\r\nch1\r\n:2\r\n$3\r\nch2\r\n:1\r\n$4\r\nnope\r\n:0\r\n", "PUBSUB", "NUMSUB", "ch1", "ch2", "nope")
	p.expect("*0\r\n", "PUBSUB", "NUMSUB")
	p.expect(":2\r\n", "PUBSUB", "NUMPAT")
	p.expect("*2\r\n$3\r\nsh1\r\n$3\r\nsh2\r\n", "PUBSUB", "SHARDCHANNELS")
	p.expect("*0\r\n", "PUBSUB", "SHARDCHANNELS", "x*")
	p.expect("*4\r\n$3\r\nsh1\r\n:1\r\n$2\r\nzz\r\n:0\r\n", "PUBSUB", "SHARDNUMSUB", "sh1", "zz")
	p.expect("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n", "PUBSUB", "FOO")
	p.expect("-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n", "PUBSUB", "CHANNELS", "a", "b")
	p.expect("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", "PUBSUB", "NUMPAT", "x")
	p.expect("*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS [<pattern>]\r\n+    Return the currently active channels matching a <pattern> (default: '*').\r\n+NUMPAT\r\n+    Return number of subscriptions to patterns.\r\n+NUMSUB [<channel> ...]\r\n+    Return the number of subscribers for the specified channels, excluding\r\n+    pattern subscriptions(default: no channels).\r\n+SHARDCHANNELS [<pattern>]\r\n+    Return the currently active shard level channels matching a <pattern> (default: '*').\r\n+SHARDNUMSUB [<shardchannel> ...]\r\n+    Return the number of subscribers for the specified shard level channel(s)\r\n+HELP\r\n+    Prints this help.\r\n", "PUBSUB", "HELP")
	info := p.Do("INFO", "stats")
	if !strings.Contains(info, "pubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:2\r\n") {
		t.Errorf("INFO stats: %q", info)
	}
	if got := p.Do("CLIENT", "LIST", "TYPE", "pubsub"); strings.Count(got, "flags=P ") != 2 {
		t.Errorf("CLIENT LIST TYPE pubsub: %q", got)
	}

	// Disconnecting drops every subscription.
	a.conn.Close()
	b.conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for p.Do("PUBSUB", "NUMPAT") != ":0\r\n" || p.Do("PUBSUB", "CHANNELS") != "*0\r\n" || p.Do("PUBSUB", "SHARDCHANNELS") != "*0\r\n" {
		if time.Now().After(deadline) {
			t.Fatal("subscriptions survive disconnect")
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.expect(":0\r\n", "PUBLISH", "ch1", "x")
}

func TestPubsubMulti(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("HELLO", "3")
	c.expect("+OK\r\n", "MULTI")
	c.expect("+QUEUED\r\n", "SUBSCRIBE", "m")
	c.expect("+QUEUED\r\n", "SSUBSCRIBE", "m")
	c.expect("*2\r\n>3\r\n$9\r\nsubscribe\r\n$1\r\nm\r\n:1\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n", "EXEC")
}

func TestPubsubSlowSubscriberDisconnected(t *testing.T) {
	s := startServer(t)
	p := dial(t, s)
	p.expect("+OK\r\n", "CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0")
	slow := dial(t, s)
	slow.expect("*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", "SUBSCRIBE", "c")
	// The slow subscriber never reads again; the publisher must not stall.
	payload := strings.Repeat("x", 64*1024)
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		got := p.Do("PUBLISH", "c", payload)
		if got == ":0\r\n" {
			break
		}
		if got != ":1\r\n" {
			t.Fatalf("PUBLISH: %q", got)
		}
		if time.Now().After(deadline) {
			t.Fatalf("slow subscriber still subscribed after %d messages", i)
		}
	}
	p.expect("*2\r\n$1\r\nc\r\n:0\r\n", "PUBSUB", "NUMSUB", "c")
}
