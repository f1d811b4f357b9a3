package persistence

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"

	"github.com/redis/go-redis/v9"
)

// defaultLimits are redis.conf's defaults.
var defaultLimits = Limits{
	Seed:                   42,
	HashMaxListpackEntries: 512, HashMaxListpackValue: 64,
	SetMaxIntsetEntries:    512,
	ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64,
	ListMaxListpackSize: -2, ListCompressDepth: 0,
}

// describe renders a value canonically (type, encoding, elements with
// hash/set order normalized) so objects can be compared.
func describe(o *datatypes.Object) string {
	if o == nil {
		return "<nil>"
	}
	if o.Type == datatypes.TypeString {
		// A loaded string gets tryObjectEncoding's choice: raw only if long.
		o = datatypes.NewString(o.AppendString(nil))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s:", o.Type.Name(), o.Enc.Name())
	var items []string
	switch o.Type {
	case datatypes.TypeString:
		return b.String() + strconv.Quote(string(o.AppendString(nil)))
	case datatypes.TypeList:
		it := o.Quicklist().Iterator(false)
		for {
			v, ok := it.Next()
			if !ok {
				break
			}
			items = append(items, strconv.Quote(string(v)))
		}
		it.Close()
	case datatypes.TypeSet:
		if o.Enc == datatypes.EncIntset {
			is := *o.Intset()
			for i := 0; i < is.Len(); i++ {
				items = append(items, strconv.Quote(strconv.FormatInt(is.Get(i), 10)))
			}
		} else {
			o.SetDict().Range(func(k string, _ struct{}) bool {
				items = append(items, strconv.Quote(k))
				return true
			})
		}
		slices.Sort(items)
	case datatypes.TypeZSet:
		if o.Enc == datatypes.EncListpack {
			for _, e := range datatypes.ZzlEntries(o.Listpack()) {
				items = append(items, fmt.Sprintf("%q=%v", e.Member, e.Score))
			}
		} else {
			for x := o.ZSet().Skiplist().First(); x != nil; x = x.Next() {
				items = append(items, fmt.Sprintf("%q=%v", x.Member(), x.Score()))
			}
		}
	case datatypes.TypeStream:
		return b.String() + describeStream(o.Stream())
	case datatypes.TypeHash:
		if o.Enc == datatypes.EncListpack {
			lp := o.Listpack()
			for p := lp.First(); p >= 0; {
				f := lp.GetBytes(p, nil)
				p = lp.Next(p)
				v := lp.GetBytes(p, nil)
				p = lp.Next(p)
				items = append(items, fmt.Sprintf("%q=%q", f, v))
			}
		} else {
			o.HashDict().Range(func(k, v string) bool {
				items = append(items, fmt.Sprintf("%q=%q", k, v))
				return true
			})
		}
		slices.Sort(items)
	}
	return b.String() + strings.Join(items, ",")
}

// redisServer is a real redis-server 7.0 started for one test.
type redisServer struct {
	cli  *redis.Client
	dir  string
	port int
}

// startRedis starts redis-server in a temp dir (with extra config
// arguments), or skips the test when it is not installed.
func startRedis(t testing.TB, dir string, args ...string) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed: skipping the comparison with real Redis")
	}
	if dir == "" {
		dir = t.TempDir()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	all := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--enable-debug-command", "yes", "--logfile", filepath.Join(dir, "redis.log")}, args...)
	cmd := exec.Command(bin, all...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	cli := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), MaxRetries: -1})
	t.Cleanup(func() { cli.Close() })
	for i := 0; ; i++ {
		if err := cli.Ping(context.Background()).Err(); err == nil {
			break
		} else if i == 300 {
			log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			t.Fatalf("redis-server did not start: %v\n%s", err, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return &redisServer{cli: cli, dir: dir, port: port}
}

func (r *redisServer) do(t testing.TB, args ...any) any {
	t.Helper()
	v, err := r.cli.Do(context.Background(), args...).Result()
	if err != nil && err != redis.Nil {
		t.Fatalf("%v: %v", args, err)
	}
	return v
}

// memHandler collects what Load reports.
type memHandler struct {
	aux     [][2]string
	resize  []string
	entries []*Entry
	funcs   []string
}

func (h *memHandler) Aux(k, v []byte) error {
	h.aux = append(h.aux, [2]string{string(k), string(v)})
	return nil
}
func (h *memHandler) ResizeDB(db int, size, exp uint64) {
	h.resize = append(h.resize, fmt.Sprintf("%d:%d:%d", db, size, exp))
}
func (h *memHandler) Entry(e *Entry) error {
	c := *e // e is valid only during the call
	h.entries = append(h.entries, &c)
	return nil
}
func (h *memHandler) Function(code []byte) error {
	h.funcs = append(h.funcs, string(code))
	return nil
}

func loadBytes(b []byte, lim Limits) (*memHandler, error) {
	h := &memHandler{}
	err := Load(bytes.NewReader(b), LoadOptions{Limits: lim}, h)
	return h, err
}

func describeStream(s *datatypes.Stream) string {
	var b strings.Builder
	fmt.Fprintf(&b, "len=%d last=%v first=%v maxdel=%v added=%d nodes=%d [", s.Length, s.LastID, s.FirstID,
		s.MaxDeletedID, s.EntriesAdded, s.Nodes())
	s.Range(datatypes.StreamID{}, datatypes.MaxStreamID, false, func(id datatypes.StreamID, fv [][]byte) bool {
		fmt.Fprintf(&b, "%v%q ", id, fv)
		return true
	})
	b.WriteString("]")
	s.RangeGroups(func(g *datatypes.ConsumerGroup) bool {
		fmt.Fprintf(&b, " group %q last=%v read=%d pel[", g.Name, g.LastID, g.EntriesRead)
		g.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
			owner := "<nil>"
			if pe.Consumer != nil {
				owner = pe.Consumer.Name
			}
			fmt.Fprintf(&b, "%v@%d#%d:%s ", pe.ID, pe.DeliveryTime, pe.DeliveryCount, owner)
			return true
		})
		b.WriteString("]")
		g.RangeConsumers(func(c *datatypes.Consumer) bool {
			fmt.Fprintf(&b, " consumer %q seen=%d pending=%d", c.Name, c.SeenTime, c.PendingLen())
			return true
		})
		return true
	})
	return b.String()
}
