package integration

// Client-side caching side by side with redis-server: the same script of
// commands on several connections (a RESP3 tracking client, a RESP2 one
// redirecting to a RESP2 subscriber of __redis__:invalidate, BCAST and
// NOLOOP clients, OPTIN/OPTOUT with CLIENT CACHING) runs against both
// servers; after each step every connection's pending bytes are read and
// compared byte for byte. Client IDs differ between the servers, so the
// script names them by connection ($ID2) and replies are compared with
// the IDs put back as names.

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

type trackStep struct {
	conn int
	args []string
}

func TestTrackingMatchesRedis(t *testing.T) {
	redisServerPath(t)
	steps := []trackStep{
		{2, []string{"SUBSCRIBE", "__redis__:invalidate"}},
		// Default mode, RESP3: invalidated once per read.
		{0, []string{"CLIENT", "TRACKING", "ON"}},
		{0, []string{"CLIENT", "TRACKINGINFO"}},
		{0, []string{"CLIENT", "GETREDIR"}},
		{0, []string{"GET", "k"}},
		{0, []string{"MGET", "k", "k2"}},
		{1, []string{"SET", "k", "v"}},
		{1, []string{"SET", "k", "w"}}, // not read again: no message
		{1, []string{"SET", "k2", "v"}},
		{0, []string{"GET", "k"}},
		{0, []string{"SET", "k", "self"}}, // own write: after the reply
		{0, []string{"GET", "k"}},
		{0, []string{"MULTI"}},
		{0, []string{"SET", "k", "m"}},
		{0, []string{"EXEC"}},
		{0, []string{"HSET", "h", "f", "1"}},
		{0, []string{"HGET", "h", "f"}},
		{1, []string{"DEL", "h"}},
		{0, []string{"GET", "k"}},
		{1, []string{"FLUSHALL"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "BCAST"}},
		{0, []string{"CLIENT", "TRACKING", "OFF"}},
		// RESP2 with redirection to a subscriber.
		{1, []string{"CLIENT", "TRACKING", "ON", "REDIRECT", "$ID2"}},
		{1, []string{"CLIENT", "GETREDIR"}},
		{1, []string{"GET", "r"}},
		{0, []string{"SET", "r", "1"}},
		{1, []string{"GET", "r"}},
		{0, []string{"FLUSHDB"}},
		{1, []string{"CLIENT", "TRACKINGINFO"}},
		{1, []string{"CLIENT", "TRACKING", "OFF"}},
		// BCAST with prefixes and NOLOOP.
		{0, []string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "b"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c", "PREFIX", "cd"}},
		{3, []string{"CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP", "PREFIX", "a"}},
		{1, []string{"MSET", "a1", "1", "b1", "2", "x", "3"}},
		{3, []string{"SET", "a2", "1"}},
		{1, []string{"SET", "a2", "2"}},
		{0, []string{"CLIENT", "TRACKINGINFO"}},
		{0, []string{"CLIENT", "TRACKING", "OFF"}},
		{3, []string{"CLIENT", "TRACKING", "OFF"}},
		// OPTIN / OPTOUT and CACHING.
		{0, []string{"CLIENT", "CACHING", "YES"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "OPTIN"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "OPTOUT"}},
		{0, []string{"CLIENT", "CACHING", "NO"}},
		{0, []string{"CLIENT", "CACHING", "MAYBE"}},
		{0, []string{"GET", "o1"}}, // not cached: OPTIN without CACHING YES
		{0, []string{"CLIENT", "CACHING", "YES"}},
		{0, []string{"CLIENT", "TRACKINGINFO"}},
		{0, []string{"GET", "o2"}},
		{1, []string{"MSET", "o1", "1", "o2", "2"}},
		{0, []string{"CLIENT", "TRACKING", "OFF"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "OPTOUT", "NOLOOP"}},
		{0, []string{"GET", "p1"}},
		{0, []string{"CLIENT", "CACHING", "NO"}},
		{0, []string{"GET", "p2"}},
		{1, []string{"MSET", "p1", "1", "p2", "2"}},
		{0, []string{"GET", "p1"}},
		{0, []string{"SET", "p1", "loop"}}, // NOLOOP: nothing
		{0, []string{"CLIENT", "TRACKING", "OFF"}},
		// Errors.
		{0, []string{"CLIENT", "TRACKING", "ON", "PREFIX", "x"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "REDIRECT", "1", "REDIRECT", "2"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "REDIRECT", "99999"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "REDIRECT", "x"}},
		{0, []string{"CLIENT", "TRACKING", "ON", "FOO"}},
		{0, []string{"CLIENT", "TRACKING", "MAYBE"}},
		{0, []string{"CLIENT", "TRACKINGINFO"}},
		{0, []string{"CLIENT", "GETREDIR"}},
		// A redirect to a client that went away.
		{0, []string{"CLIENT", "TRACKING", "ON", "REDIRECT", "$ID4"}},
		{4, []string{"QUIT"}},
		{0, []string{"GET", "z"}},
		{1, []string{"SET", "z", "1"}},
		{0, []string{"CLIENT", "TRACKINGINFO"}},
	}
	red, fer := startRedis(t), startFerrite(t)
	got := make([][]string, 2)
	for side, inst := range []*instance{red, fer} {
		got[side] = runTrackScript(t, inst, steps)
	}
	for i := range got[0] {
		if testing.Verbose() {
			t.Logf("%q", got[1][i])
		}
		if got[0][i] != got[1][i] {
			t.Errorf("%s\n  redis:   %q\n  ferrite: %q", got[0][i][:strings.Index(got[0][i], "\n")], got[0][i], got[1][i])
		}
	}
}

// runTrackScript runs steps on one server and returns, per step, the
// step's command and every connection's bytes.
func runTrackScript(t *testing.T, inst *instance, steps []trackStep) []string {
	protos := []int{3, 2, 2, 3, 3}
	conns := make([]*rawConn, len(protos))
	ids := map[string]string{}
	for i, p := range protos {
		conns[i] = inst.dial(t)
		conns[i].Do("HELLO", strconv.Itoa(p))
		id := strings.TrimSpace(strings.TrimPrefix(conns[i].Do("CLIENT", "ID"), ":"))
		ids["$ID"+strconv.Itoa(i)] = id
	}
	names := func(s string) string {
		for name, id := range ids {
			s = strings.ReplaceAll(s, ":"+id+"\r\n", ":"+name+"\r\n")
		}
		return s
	}
	subscribed := map[int]bool{}
	var out []string
	for _, st := range steps {
		args := make([]string, len(st.args))
		for j, a := range st.args {
			if id, ok := ids[a]; ok {
				a = id
			}
			args[j] = a
		}
		var b strings.Builder
		b.WriteString(strings.Join(st.args, " ") + "\n")
		c := conns[st.conn]
		reply, err := c.DoErr(args...)
		if err != nil && strings.EqualFold(args[0], "quit") {
			err = nil
		}
		if err != nil {
			t.Fatalf("%s: %s: %v", inst.name, strings.Join(args, " "), err)
		}
		if strings.EqualFold(args[0], "subscribe") {
			subscribed[st.conn] = true
		}
		b.WriteString("reply " + names(reply))
		if strings.EqualFold(args[0], "quit") {
			conns[st.conn] = nil
			time.Sleep(50 * time.Millisecond) // the server notices the close
		}
		// The acting connection may have messages after its reply; the
		// others are synchronised with PING (not the acting one: a PING
		// would use up its CLIENT CACHING).
		for i, oc := range conns {
			if oc == nil {
				continue
			}
			var extra []byte
			if i == st.conn {
				extra = drainFor(oc, 100*time.Millisecond)
			} else {
				extra = syncPing(t, oc, subscribed[i])
			}
			if len(extra) > 0 {
				b.WriteString("conn" + strconv.Itoa(i) + " " + names(string(extra)))
			}
		}
		out = append(out, b.String())
	}
	return out
}

// drainFor reads whatever arrives within d.
func drainFor(c *rawConn, d time.Duration) []byte {
	var out []byte
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(d))
		b, err := resp.ReadReply(c.r)
		if err != nil {
			return out
		}
		out = append(out, b...)
	}
}

// syncPing returns the bytes that arrive before a PING's reply.
func syncPing(t *testing.T, c *rawConn, subscribed bool) []byte {
	if err := c.SendErr("PING"); err != nil {
		t.Fatal(err)
	}
	var out []byte
	for {
		b, err := c.ReadErr()
		if err != nil {
			t.Fatal(err)
		}
		if b == "+PONG\r\n" || (subscribed && b == "*2\r\n$4\r\npong\r\n$0\r\n\r\n") {
			return out
		}
		out = append(out, []byte(b)...)
	}
}
