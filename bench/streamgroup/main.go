// Command streamgroup measures consumer-group throughput: clients that
// each loop on XREADGROUP GROUP g <own consumer> COUNT 10 STREAMS s >
// followed by one XACK of the IDs read, until a prefilled stream is
// drained. It runs the same load against every server given and prints
// commands per second and the ratio to the first server:
//
//	go run ./bench/streamgroup -servers redis=127.0.0.1:6379,ferrite=127.0.0.1:6380
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	servers := flag.String("servers", "", "name=host:port,... (the first is the baseline)")
	clients := flag.Int("clients", 50, "concurrent consumers")
	entries := flag.Int("entries", 300000, "entries prefilled per run")
	count := flag.Int("count", 10, "XREADGROUP COUNT")
	flag.Parse()
	if *servers == "" {
		flag.Usage()
		os.Exit(2)
	}
	var base float64
	for i, spec := range strings.Split(*servers, ",") {
		name, addr, _ := strings.Cut(spec, "=")
		ops, dur := run(addr, *clients, *entries, *count)
		rate := float64(ops) / dur.Seconds()
		if i == 0 {
			base = rate
		}
		fmt.Printf("%-10s %8d commands in %6.2fs: %10.0f commands/s (%.2fx)\n", name, ops, dur.Seconds(), rate, rate/base)
	}
}

type conn struct {
	c net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

func dial(addr string) *conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	return &conn{c: c, r: bufio.NewReaderSize(c, 1<<16), w: bufio.NewWriterSize(c, 1<<16)}
}

func (c *conn) send(args ...string) {
	fmt.Fprintf(c.w, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(c.w, "$%d\r\n%s\r\n", len(a), a)
	}
}

// read reads one reply, collecting every bulk string of it into bulks.
func (c *conn) read(bulks *[]string) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	line = strings.TrimSuffix(line, "\r\n")
	switch line[0] {
	case '-':
		log.Fatalf("server error: %s", line)
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return
		}
		buf := make([]byte, n+2)
		if _, err := ioReadFull(c.r, buf); err != nil {
			log.Fatal(err)
		}
		if bulks != nil {
			*bulks = append(*bulks, string(buf[:n]))
		}
	case '*', '%':
		n, _ := strconv.Atoi(line[1:])
		if line[0] == '%' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			c.read(bulks)
		}
	}
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (c *conn) do(bulks *[]string, args ...string) {
	c.send(args...)
	if err := c.w.Flush(); err != nil {
		log.Fatal(err)
	}
	c.read(bulks)
}

// run prefills the stream and drains it with the consumers, returning the
// commands they sent and the time they took.
func run(addr string, clients, entries, count int) (int64, time.Duration) {
	admin := dial(addr)
	admin.do(nil, "DEL", "bench:s")
	for i := 0; i < entries; {
		n := 0
		for ; n < 1000 && i < entries; n++ {
			admin.send("XADD", "bench:s", "*", "n", strconv.Itoa(i), "payload", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
			i++
		}
		admin.w.Flush()
		for ; n > 0; n-- {
			admin.read(nil)
		}
	}
	admin.do(nil, "XGROUP", "CREATE", "bench:s", "g", "0")

	var ops, read atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			c := dial(addr)
			defer c.c.Close()
			consumer := "c" + strconv.Itoa(k)
			for {
				var bulks []string
				c.do(&bulks, "XREADGROUP", "GROUP", "g", consumer, "COUNT", strconv.Itoa(count), "STREAMS", "bench:s", ">")
				ops.Add(1)
				// bulks: key, then per entry its ID and 4 field/value strings.
				if len(bulks) == 0 {
					return
				}
				ack := []string{"XACK", "bench:s", "g"}
				for i := 1; i < len(bulks); i += 5 {
					ack = append(ack, bulks[i])
				}
				read.Add(int64(len(ack) - 3))
				c.do(nil, ack...)
				ops.Add(1)
			}
		}(k)
	}
	wg.Wait()
	dur := time.Since(start)
	if got := read.Load(); got != int64(entries) {
		log.Fatalf("%s: read %d entries, want %d", addr, got, entries)
	}
	admin.do(nil, "DEL", "bench:s")
	return ops.Load(), dur
}
