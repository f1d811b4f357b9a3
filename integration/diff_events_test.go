package integration

// Keyspace notifications ride along every differential test: the first
// connection dialDiff opens to a server in a test also opens a RESP3
// subscriber to all keyspace and keyevent channels of that server (with
// notify-keyspace-events "AKEnm", every class), and after each command
// the subscriber is synchronised with a PING, so the events the command
// caused are in hand before the next one runs. The two servers' event
// streams are compared as a whole, not per command, because the two sides
// do not always send the same number of commands (a SCAN loop follows
// each server's own cursors); the first difference fails the test with
// the commands that led to it.
//
// DIFF_EVENTS=0 turns this off.

import (
	"bufio"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ferrite/server/resp"
)

// eventBatch is the events one command caused.
type eventBatch struct {
	args   []string
	events []string
}

// eventSub is one server's subscriber connection in one test.
type eventSub struct {
	conn net.Conn
	r    *bufio.Reader
	log  *eventLog
	side int // 0 redis, 1 ferrite
}

// eventLog holds both servers' events for one test.
type eventLog struct {
	t       testing.TB
	subs    [2]*eventSub
	batches [2][]eventBatch // non-empty event lists, one per command
	recent  [2][]string     // the last commands each side ran, with their events
	checked int
	failed  bool
}

var (
	eventLogsMu sync.Mutex
	eventLogs   = map[testing.TB]*eventLog{}
)

// eventSubFor returns the subscriber of inst's server in t, opening it on
// first use; nil when event comparison is off.
func eventSubFor(t testing.TB, inst *instance) *eventSub {
	if os.Getenv("DIFF_EVENTS") == "0" {
		return nil
	}
	side := 0
	if inst.name == "ferrite" {
		side = 1
	}
	eventLogsMu.Lock()
	defer eventLogsMu.Unlock()
	l := eventLogs[t]
	if l == nil {
		l = &eventLog{t: t}
		eventLogs[t] = l
		t.Cleanup(func() {
			eventLogsMu.Lock()
			delete(eventLogs, t)
			eventLogsMu.Unlock()
		})
	}
	if l.subs[side] != nil {
		return l.subs[side]
	}
	c := inst.dial(t)
	s := &eventSub{conn: c.conn, r: c.r, log: l, side: side}
	for _, args := range [][]string{{"CONFIG", "SET", "notify-keyspace-events", "AKEnm"}, {"HELLO", "3"}} {
		if _, err := s.roundTrip(args); err != nil {
			t.Fatalf("%s: event subscriber: %v", inst.name, err)
		}
	}
	if _, err := s.roundTrip([]string{"PSUBSCRIBE", "__key*@*__:*"}); err != nil {
		t.Fatalf("%s: event subscriber: %v", inst.name, err)
	}
	l.subs[side] = s
	return s
}

func (s *eventSub) roundTrip(args []string) (string, error) {
	_ = s.conn.SetDeadline(time.Now().Add(replyTimeout))
	if _, err := s.conn.Write(resp.AppendCommand(nil, args...)); err != nil {
		return "", err
	}
	b, err := resp.ReadReply(s.r)
	return string(b), err
}

// sync collects the events published before now: a PING's reply comes
// after every message already queued for the subscriber.
func (s *eventSub) sync(args []string, record bool) {
	l := s.log
	_ = s.conn.SetDeadline(time.Now().Add(replyTimeout))
	if _, err := s.conn.Write(resp.AppendCommand(nil, "PING")); err != nil {
		l.t.Errorf("event subscriber: %v", err)
		return
	}
	var got []string
	for {
		b, err := resp.ReadReply(s.r)
		if err != nil {
			l.t.Errorf("event subscriber: %v", err)
			return
		}
		if string(b) == "+PONG\r\n" {
			break
		}
		v, err := parseReply(string(b))
		if err != nil || v.kind != '>' || len(v.elems) != 4 {
			l.t.Errorf("event subscriber: unexpected %q", b)
			return
		}
		got = append(got, v.elems[2].str+" "+v.elems[3].str)
	}
	if !record {
		return
	}
	if name := strings.ToUpper(args[0]); name == "SORT" || name == "SORT_RO" {
		got = sortEvents(got)
	}
	if len(got) > 0 {
		l.batches[s.side] = append(l.batches[s.side], eventBatch{args, got})
	}
	l.recent[s.side] = append(l.recent[s.side], quote(args)+" => "+strings.Join(got, ", "))
	if len(l.recent[s.side]) > 25 {
		l.recent[s.side] = l.recent[s.side][1:]
	}
	l.compare()
}

// compare checks the event batches both sides have produced so far.
func (l *eventLog) compare() {
	if l.failed {
		return
	}
	n := min(len(l.batches[0]), len(l.batches[1]))
	for ; l.checked < n; l.checked++ {
		red, fer := l.batches[0][l.checked], l.batches[1][l.checked]
		a, b := red.events, fer.events
		if !slices.Equal(a, b) {
			l.failed = true
			l.t.Errorf("keyspace events differ:\n  redis:   %s => %s\n  ferrite: %s => %s\nrecent redis commands:\n  %s\nrecent ferrite commands:\n  %s",
				quote(red.args), strings.Join(red.events, ", "), quote(fer.args), strings.Join(fer.events, ", "),
				strings.Join(l.recent[0], "\n  "), strings.Join(l.recent[1], "\n  "))
			return
		}
	}
}

// sortEvents is what is compared of SORT's events: sorted, without
// keymiss events. The keys SORT looks up (BY and GET patterns) follow the
// order in which it walks a set, which is each server's own hash order,
// and which pattern keys it looks up for elements outside LIMIT is not
// matched yet.
func sortEvents(evs []string) []string {
	var out []string
	for _, e := range evs {
		if !strings.HasSuffix(e, " keymiss") && !strings.HasPrefix(e, "__keyevent@0__:keymiss ") {
			out = append(out, e)
		}
	}
	return slices.Sorted(slices.Values(out))
}
