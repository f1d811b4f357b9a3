// Command evict measures maxmemory eviction the way a cache sees it: a
// Zipf-distributed stream of keys is read with GET, and every miss is
// filled with SET (value of -size bytes), so the key space written is many
// times maxmemory. It reports the hit rate over the second half of the
// stream and used_memory (INFO memory) sampled during the run, relative
// to maxmemory.
//
//	go run ./bench/evict -addr 127.0.0.1:6379 -maxmemory 50mb -keys 2000000 -ops 3000000
//
// The server is configured by the program (CONFIG SET maxmemory and
// maxmemory-policy allkeys-lru, FLUSHALL first). The key stream is the
// same for a given -seed, so two servers see the same requests.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

type conn struct {
	c net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

func (c *conn) send(args ...string) {
	fmt.Fprintf(c.w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(c.w, "$%d\r\n%s\r\n", len(a), a)
	}
}

// read reads one reply; it returns the first line and, for bulk strings,
// the payload.
func (c *conn) read() (string, string) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line[0] == '$' {
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return line, ""
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, b); err != nil {
			os.Exit(1)
		}
		return line, string(b[:n])
	}
	return line, ""
}

func usedMemory(c *conn) int64 {
	c.send("INFO", "memory")
	c.w.Flush()
	_, body := c.read()
	for _, l := range strings.Split(body, "\r\n") {
		if v, ok := strings.CutPrefix(l, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	maxmem := flag.String("maxmemory", "50mb", "maxmemory to set")
	keys := flag.Uint64("keys", 2000000, "distinct keys in the stream")
	ops := flag.Int("ops", 3000000, "GETs to send")
	size := flag.Int("size", 100, "value bytes")
	skew := flag.Float64("s", 1.01, "Zipf s parameter (>1)")
	seed := flag.Int64("seed", 1, "stream seed")
	pipeline := flag.Int("pipeline", 64, "requests per round trip")
	flag.Parse()

	nc, err := net.Dial("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	c := &conn{c: nc, r: bufio.NewReaderSize(nc, 1<<16), w: bufio.NewWriterSize(nc, 1<<16)}
	mon, _ := net.Dial("tcp", *addr)
	m := &conn{c: mon, r: bufio.NewReaderSize(mon, 1<<16), w: bufio.NewWriter(mon)}
	for _, cmd := range [][]string{{"FLUSHALL"}, {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}, {"CONFIG", "SET", "maxmemory", *maxmem}} {
		c.send(cmd...)
		c.w.Flush()
		if l, _ := c.read(); l[0] == '-' {
			fmt.Fprintln(os.Stderr, strings.Join(cmd, " "), l)
			os.Exit(1)
		}
	}
	c.send("CONFIG", "GET", "maxmemory")
	c.w.Flush()
	c.read()
	c.read()
	_, mm := c.read()
	limit, _ := strconv.ParseInt(mm, 10, 64)

	base := usedMemory(m)
	stopMon := make(chan struct{})
	peak, samples, over := int64(0), 0, 0
	var sum int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		for {
			select {
			case <-stopMon:
				return
			case <-t.C:
			}
			u := usedMemory(m)
			if u > peak {
				peak = u
			}
			if u > limit {
				over++
			}
			sum += u
			samples++
		}
	}()

	z := rand.NewZipf(rand.New(rand.NewSource(*seed)), *skew, 1, *keys-1)
	value := strings.Repeat("v", *size)
	var hits, lookups int
	start := time.Now()
	batch := make([]string, 0, *pipeline)
	for i := 0; i < *ops; i += *pipeline {
		batch = batch[:0]
		for j := 0; j < *pipeline && i+j < *ops; j++ {
			k := "key:" + strconv.FormatUint(z.Uint64(), 10)
			batch = append(batch, k)
			c.send("GET", k)
		}
		c.w.Flush()
		var misses []string
		for j, k := range batch {
			l, _ := c.read()
			hit := l != "$-1"
			if i+j >= *ops/2 {
				lookups++
				if hit {
					hits++
				}
			}
			if !hit {
				misses = append(misses, k)
			}
		}
		for _, k := range misses {
			c.send("SET", k, value)
		}
		c.w.Flush()
		for range misses {
			if l, _ := c.read(); l[0] == '-' {
				fmt.Fprintln(os.Stderr, "SET:", l)
				os.Exit(1)
			}
		}
	}
	elapsed := time.Since(start)
	close(stopMon)
	<-done
	avg := int64(0)
	if samples > 0 {
		avg = sum / int64(samples)
	}
	fmt.Printf("hit_rate %.4f used_memory_peak/maxmemory %.3f used_memory_avg/maxmemory %.3f samples_over_limit %d/%d base %d seconds %.1f\n",
		float64(hits)/float64(lookups), float64(peak)/float64(limit), float64(avg)/float64(limit), over, samples, base, elapsed.Seconds())
}
