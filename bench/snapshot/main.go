// Command snapshot measures what a BGSAVE costs clients on a running
// server: the longest PING stall and the extra memory while the snapshot
// runs under a steady write load, against the same figures without it.
//
// Run a server, then this program against it:
//
//	go build -o /tmp/ferrite . && /tmp/ferrite --port 7500 --save '' &
//	go run ./bench/snapshot -addr 127.0.0.1:7500 -keys 1000000 -writers 20
//
// It fills -keys string keys (pipelined SETs, like DEBUG POPULATE), starts
// -writers connections doing SET on random keys of that range (as
// redis-benchmark -t set -r <keys> -c <writers>), measures PING latency
// and INFO memory for -baseline, then issues BGSAVE and measures the same
// until rdb_bgsave_in_progress is 0. PING runs in a child process of its
// own with one P, and the writers on -client-procs Ps (default 1), so a
// stall is the server's, not a probe goroutine queued behind the writers. The same program works against
// redis-server for comparison (there the BGSAVE forks).
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-probe-child" {
		probeChild(os.Args[2])
		return
	}
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	keys := flag.Int("keys", 1000000, "keys to create before measuring (0: use what is there)")
	writers := flag.Int("writers", 20, "connections doing SET during the measurement")
	baseline := flag.Duration("baseline", 3*time.Second, "measurement without BGSAVE")
	procs := flag.Int("client-procs", 1, "GOMAXPROCS of this process (the writers)")
	flag.Parse()
	// The writers take at most -client-procs cores; the PING probe is a
	// process of its own (startProbe), so its latencies are the server's
	// and the network's, not the wait of a goroutine behind the writers.
	runtime.GOMAXPROCS(*procs)
	ctx := context.Background()

	admin := redis.NewClient(&redis.Options{Addr: *addr, PoolSize: 1})
	memBefore := infoInt(ctx, admin, "memory", "used_memory")
	if *keys > 0 {
		fill(ctx, *addr, *keys)
	}
	dbsize, _ := admin.DBSize(ctx).Result()
	memData := infoInt(ctx, admin, "memory", "used_memory")
	rssData := infoInt(ctx, admin, "memory", "used_memory_rss")
	dataset := memData - memBefore
	if *keys == 0 {
		dataset = memData // the keys were there before we looked
	}
	fmt.Printf("keys: %d, used_memory: %s (dataset ~%s), used_memory_rss: %s\n",
		dbsize, human(memData), human(dataset), human(rssData))

	// Write load.
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	n := max(*keys, int(dbsize), 1)
	for i := 0; i < *writers; i++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			c := redis.NewClient(&redis.Options{Addr: *addr, PoolSize: 1})
			defer c.Close()
			rng := rand.New(rand.NewPCG(seed, 7))
			for !stop.Load() {
				k := "key:" + strconv.Itoa(rng.IntN(n))
				v := "value:" + strconv.Itoa(rng.IntN(n))
				if *vary {
					v += padding[:rng.IntN(len(padding))]
				}
				if err := c.Set(ctx, k, v, 0).Err(); err != nil {
					fmt.Fprintln(os.Stderr, "writer:", err)
					return
				}
				writes.Add(1)
			}
		}(uint64(i))
	}

	pr := startProbe(*addr)
	measure := func(until func() bool) (lat []time.Duration, peakMem, peakRSS int64, ops int64) {
		w0 := writes.Load()
		var memMu sync.Mutex
		done := make(chan struct{})
		go func() { // memory sampler
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
				m := infoInt(ctx, admin, "memory", "used_memory")
				r := infoInt(ctx, admin, "memory", "used_memory_rss")
				memMu.Lock()
				peakMem, peakRSS = max(peakMem, m), max(peakRSS, r)
				memMu.Unlock()
			}
		}()
		from := time.Now()
		for !until() {
			time.Sleep(time.Millisecond)
		}
		lat = pr.between(from, time.Now())
		close(done)
		memMu.Lock()
		defer memMu.Unlock()
		return lat, peakMem, peakRSS, writes.Load() - w0
	}

	start := time.Now()
	lat, mem, rss, ops := measure(func() bool { return time.Since(start) > *baseline })
	report("without BGSAVE", lat, mem, rss, memData, rssData, dataset, ops, time.Since(start))

	if err := admin.Do(ctx, "BGSAVE").Err(); err != nil {
		fmt.Fprintln(os.Stderr, "BGSAVE:", err)
		os.Exit(1)
	}
	start = time.Now()
	var lastCheck time.Time
	saving := true
	lat, mem, rss, ops = measure(func() bool {
		if time.Since(lastCheck) > 10*time.Millisecond {
			lastCheck = time.Now()
			saving = infoInt(ctx, admin, "persistence", "rdb_bgsave_in_progress") == 1
		}
		return !saving
	})
	report("during BGSAVE", lat, mem, rss, memData, rssData, dataset, ops, time.Since(start))
	status := infoStr(ctx, admin, "persistence", "rdb_last_bgsave_status")
	fmt.Printf("rdb_last_bgsave_status: %s\n", status)
	stop.Store(true)
	wg.Wait()
}

// fill creates keys key:0..key:n-1 with pipelined SETs.
func fill(ctx context.Context, addr string, n int) {
	c := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
	defer c.Close()
	for i := 0; i < n; {
		p := c.Pipeline()
		for j := 0; j < 1000 && i < n; j, i = j+1, i+1 {
			p.Set(ctx, "key:"+strconv.Itoa(i), "value:"+strconv.Itoa(i), 0)
		}
		if _, err := p.Exec(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "fill:", err)
			os.Exit(1)
		}
	}
}

func report(what string, lat []time.Duration, peakMem, peakRSS, mem, rss, dataset, ops int64, d time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		fmt.Printf("%s: no samples\n", what)
		return
	}
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Printf("%s (%.1fs, %d PINGs, %.0f SET/s): PING p50 %v p99 %v p99.9 %v max %v; peak used_memory %s (+%s = %.1f%% of dataset), peak rss %s (+%s)\n",
		what, d.Seconds(), len(lat), float64(ops)/d.Seconds(), q(0.5), q(0.99), q(0.999), lat[len(lat)-1],
		human(peakMem), human(peakMem-mem), 100*float64(peakMem-mem)/float64(max(dataset, 1)),
		human(peakRSS), human(peakRSS-rss))
}

func info(ctx context.Context, c *redis.Client, section, field string) string {
	s, err := c.Info(ctx, section).Result()
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(s, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

func infoInt(ctx context.Context, c *redis.Client, section, field string) int64 {
	n, _ := strconv.ParseInt(info(ctx, c, section, field), 10, 64)
	return n
}

func infoStr(ctx context.Context, c *redis.Client, section, field string) string {
	return info(ctx, c, section, field)
}

func human(n int64) string {
	f := float64(n)
	switch {
	case f >= 1<<30 || f <= -(1<<30):
		return fmt.Sprintf("%.2fG", f/(1<<30))
	case f >= 1<<20 || f <= -(1<<20):
		return fmt.Sprintf("%.2fM", f/(1<<20))
	case f >= 1<<10 || f <= -(1<<10):
		return fmt.Sprintf("%.2fK", f/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}

// probe collects the PING latencies the child process measures.
type probe struct {
	mu      sync.Mutex
	samples []probeSample
}

type probeSample struct {
	end int64 // unix nanoseconds when the reply arrived
	lat time.Duration
}

// startProbe runs this program as a child (-probe-child addr, one P)
// sending PING after PING on one connection and writing, per reply, the
// time it arrived and the round trip, 16 bytes, to its stdout.
func startProbe(addr string) *probe {
	cmd := exec.Command(os.Args[0], "-probe-child", addr)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	p := &probe{}
	go func() {
		r := bufio.NewReader(out)
		var b [16]byte
		for {
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return
			}
			p.mu.Lock()
			p.samples = append(p.samples, probeSample{int64(binary.LittleEndian.Uint64(b[:8])), time.Duration(binary.LittleEndian.Uint64(b[8:]))})
			p.mu.Unlock()
		}
	}()
	return p
}

var vary = flag.Bool("vary", false, "writers pad values to random lengths (up to 60 bytes), so most SETs allocate a new value instead of overwriting in place")

const padding = "................................................"

var slowPing = flag.Duration("slow", 0, "print the PINGs slower than this, with the time of their reply (to find them in a server trace)")

// between returns the latencies of the PINGs answered between from and to.
func (p *probe) between(from, to time.Time) []time.Duration {
	time.Sleep(50 * time.Millisecond) // let the child's buffered samples arrive
	p.mu.Lock()
	defer p.mu.Unlock()
	var lat []time.Duration
	for _, s := range p.samples {
		if s.end >= from.UnixNano() && s.end <= to.UnixNano() {
			lat = append(lat, s.lat)
			if *slowPing > 0 && s.lat >= *slowPing {
				fmt.Printf("slow PING: %v, answered at %s\n", s.lat, time.Unix(0, s.end).UTC().Format("15:04:05.000000"))
			}
		}
	}
	return lat
}

// probeChild is the probe process: PING, wait for +PONG, record, forever
// (until the parent exits and the write to stdout fails).
func probeChild(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(os.Stdout, 16*64)
	ping := []byte("*1\r\n$4\r\nPING\r\n")
	var reply [7]byte
	var b [16]byte
	for n := 0; ; n++ {
		t0 := time.Now()
		if _, err := conn.Write(ping); err != nil {
			os.Exit(1)
		}
		if _, err := io.ReadFull(conn, reply[:]); err != nil || string(reply[:]) != "+PONG\r\n" {
			fmt.Fprintln(os.Stderr, "probe: bad reply", err)
			os.Exit(1)
		}
		t1 := time.Now()
		binary.LittleEndian.PutUint64(b[:8], uint64(t1.UnixNano()))
		binary.LittleEndian.PutUint64(b[8:], uint64(t1.Sub(t0)))
		if _, err := w.Write(b[:]); err != nil {
			os.Exit(0)
		}
		if n%64 == 63 {
			if err := w.Flush(); err != nil {
				os.Exit(0)
			}
		}
	}
}
