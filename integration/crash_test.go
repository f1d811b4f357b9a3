package integration

import (
	"bufio"
	"fmt"
	"math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ferrite/server/resp"
)

// Crash safety of the AOF: clients write while the server is killed with
// SIGKILL at a random moment; after a restart from the same directory
// every acknowledged write must be there (appendfsync always), or what
// survives must be a clean prefix of each client's writes (everysec).
// The data accumulates over the rounds, and some rounds run a
// BGREWRITEAOF at a random moment, so crashes also hit rewrites.

// crashClient is one writer: it owns keys with its id and remembers
// exactly what the server acknowledged.
type crashClient struct {
	id      int
	acked   []string // list elements acknowledged, in order
	pending string   // element sent whose reply never came ("" none)
	sets    map[string]string
	incrs   int64 // acknowledged INCRs of its counter
	maybe   int64 // 1 when an INCR was sent without reply
}

func rawDo(conn net.Conn, r *bufio.Reader, args ...string) (string, error) {
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write(resp.AppendCommand(nil, args...)); err != nil {
		return "", err
	}
	b, err := resp.ReadReply(r)
	return string(b), err
}

// run writes until the connection breaks or stop closes; round tags the
// values so every write is distinct.
func (cc *crashClient) run(addr string, round int, stop <-chan struct{}) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for j := 0; ; j++ {
		select {
		case <-stop:
			return
		default:
		}
		tag := fmt.Sprintf("%d:%d", round, j)
		switch j % 3 {
		case 0:
			k := fmt.Sprintf("k:%d:%s", cc.id, tag)
			v := "v" + tag
			if rep, err := rawDo(conn, r, "SET", k, v); err != nil || rep != "+OK\r\n" {
				return // sent, not acknowledged: may or may not be there
			}
			cc.sets[k] = v
		case 1:
			cc.maybe = 1
			if rep, err := rawDo(conn, r, "INCR", "cnt:"+strconv.Itoa(cc.id)); err != nil || !strings.HasPrefix(rep, ":") {
				return
			}
			cc.maybe = 0
			cc.incrs++
		case 2:
			cc.pending = tag
			if rep, err := rawDo(conn, r, "RPUSH", "list:"+strconv.Itoa(cc.id), tag); err != nil || !strings.HasPrefix(rep, ":") {
				return
			}
			cc.pending = ""
			cc.acked = append(cc.acked, tag)
		}
	}
}

func crashSeed(t *testing.T) int64 {
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return seed
}

func runCrashRounds(t *testing.T, fsync string, rounds int, check func(t *testing.T, c *crashClient, got []string, cnt int64)) {
	rng := rand.New(rand.NewSource(crashSeed(t)))
	dir := t.TempDir()
	const nclients = 4
	clients := make([]*crashClient, nclients)
	for i := range clients {
		clients[i] = &crashClient{id: i, sets: map[string]string{}}
	}
	opts := []string{"--dir", dir, "--appendonly", "yes", "--appendfsync", fsync}
	for round := 0; round < rounds; round++ {
		inst := startFerrite(t, opts...)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for _, cc := range clients {
			cc.pending, cc.maybe = "", 0
			wg.Add(1)
			go func(cc *crashClient) { defer wg.Done(); cc.run(inst.Addr, round, stop) }(cc)
		}
		if round%3 == 1 {
			go func(d time.Duration) {
				time.Sleep(d)
				if conn, err := net.Dial("tcp", inst.Addr); err == nil {
					rawDo(conn, bufio.NewReader(conn), "BGREWRITEAOF")
					conn.Close()
				}
			}(time.Duration(rng.Intn(150)) * time.Millisecond)
		}
		time.Sleep(time.Duration(50+rng.Intn(250)) * time.Millisecond)
		inst.kill()
		close(stop)
		wg.Wait()

		inst = startFerrite(t, opts...)
		conn, err := net.Dial("tcp", inst.Addr)
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(conn)
		for _, cc := range clients {
			rep, err := rawDo(conn, r, "LRANGE", "list:"+strconv.Itoa(cc.id), "0", "-1")
			if err != nil {
				t.Fatal(err)
			}
			got := parseBulkArray(rep)
			cntRep, _ := rawDo(conn, r, "GET", "cnt:"+strconv.Itoa(cc.id))
			cnt := int64(0)
			if b := parseBulkArray("*1\r\n" + cntRep); len(b) == 1 {
				cnt, _ = strconv.ParseInt(b[0], 10, 64)
			}
			check(t, cc, got, cnt)
			// The state that survived is the truth from now on.
			cc.acked, cc.incrs = got, cnt
			for k, v := range cc.sets {
				rep, _ := rawDo(conn, r, "GET", k)
				if rep != fmt.Sprintf("$%d\r\n%s\r\n", len(v), v) {
					if fsync == "always" {
						t.Fatalf("round %d: acknowledged SET %s=%s lost (GET: %q)", round, k, v, rep)
					}
					delete(cc.sets, k)
				}
			}
		}
		conn.Close()
		inst.stop()
		if t.Failed() {
			return
		}
	}
}

// parseBulkArray reads a RESP array of bulk strings (no nested types).
func parseBulkArray(rep string) []string {
	lines := strings.Split(rep, "\r\n")
	var out []string
	for i := 1; i+1 < len(lines); i += 2 {
		if strings.HasPrefix(lines[i], "$-1") {
			i--
			continue
		}
		out = append(out, lines[i+1])
	}
	return out
}

func TestCrashAppendfsyncAlways(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is slow")
	}
	runCrashRounds(t, "always", 20, func(t *testing.T, cc *crashClient, got []string, cnt int64) {
		// Every acknowledged push is there, in order, plus at most the
		// one in flight when the server died.
		if len(got) < len(cc.acked) || len(got) > len(cc.acked)+1 {
			t.Fatalf("client %d: list has %d elements, %d acknowledged (+%q in flight)", cc.id, len(got), len(cc.acked), cc.pending)
		}
		for i, v := range cc.acked {
			if got[i] != v {
				t.Fatalf("client %d: element %d is %q, acknowledged %q", cc.id, i, got[i], v)
			}
		}
		if len(got) == len(cc.acked)+1 && got[len(got)-1] != cc.pending {
			t.Fatalf("client %d: extra element %q, in flight %q", cc.id, got[len(got)-1], cc.pending)
		}
		if cnt < cc.incrs || cnt > cc.incrs+cc.maybe {
			t.Fatalf("client %d: counter %d, acknowledged %d (+%d in flight)", cc.id, cnt, cc.incrs, cc.maybe)
		}
	})
}

func TestCrashAppendfsyncEverysec(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is slow")
	}
	runCrashRounds(t, "everysec", 6, func(t *testing.T, cc *crashClient, got []string, cnt int64) {
		// What survives is a prefix of what the client sent: nothing
		// reordered, nothing from the middle missing.
		sent := cc.acked
		if cc.pending != "" {
			sent = append(append([]string(nil), sent...), cc.pending)
		}
		if len(got) > len(sent) {
			t.Fatalf("client %d: %d elements survived, only %d sent", cc.id, len(got), len(sent))
		}
		for i := range got {
			if got[i] != sent[i] {
				t.Fatalf("client %d: element %d is %q, sent %q", cc.id, i, got[i], sent[i])
			}
		}
		// A kill (not a power loss) keeps what reached the kernel; the
		// writer writes at least every millisecond or so, so only the
		// last few acknowledged pushes may be lost, never seconds' worth
		// (a round writes for at most 300ms: losing a quarter of the
		// round's pushes would mean the writer stalled).
		if lost := len(cc.acked) - len(got); lost > 0 {
			t.Logf("client %d: %d acknowledged pushes lost", cc.id, lost)
			if lost > 20 && lost > len(cc.acked)/4 {
				t.Fatalf("client %d: %d of %d acknowledged pushes lost", cc.id, lost, len(cc.acked))
			}
		}
		if cnt > cc.incrs+cc.maybe {
			t.Fatalf("client %d: counter %d beyond %d sent", cc.id, cnt, cc.incrs+cc.maybe)
		}
	})
}
