// Command memory loads one of issue 3's memory datasets into a running
// server and reports what the server needs to hold it: INFO memory's
// used_memory and used_memory_rss, and VmRSS from /proc/<pid>/status
// (process_id from INFO server; the server must run on this machine).
//
//	-dataset hash  -keys 100000 -fields 10  HSET hash:<i> field:<j> value:<j>:<i>
//	-dataset zset  -keys 100000 -fields 50  ZADD zset:<i> <score> member:<j>
//
// Each field is its own command (the listpacks grow one element at a time,
// the way applications usually fill them), pipelined -pipeline deep over
// one connection; the zset scores are pseudo-random floats with a fixed
// seed, so both servers get the same bytes. After the load it polls INFO
// until RSS has not moved by more than 1% for -settle, then prints one line:
//
//	<dataset> keys=N load_ms=T server_cpu_ms=C used_memory=B used_memory_rss=B vmrss=B
//
// run.sh starts redis-server and Ferrite side by side and runs this against
// both; the program itself works against either.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	dataset := flag.String("dataset", "hash", "hash or zset")
	keys := flag.Int("keys", 100000, "number of keys")
	fields := flag.Int("fields", 0, "fields (hash) or members (zset) per key; 0: 10 for hash, 50 for zset")
	pipeline := flag.Int("pipeline", 1000, "commands per pipelined batch")
	settle := flag.Duration("settle", 3*time.Second, "RSS must be stable this long before reporting")
	flag.Parse()
	if *fields == 0 {
		*fields = map[string]int{"hash": 10, "zset": 50}[*dataset]
	}
	if *dataset != "hash" && *dataset != "zset" {
		fail(fmt.Errorf("unknown dataset %q", *dataset))
	}

	conn, err := net.Dial("tcp", *addr)
	if err != nil {
		fail(err)
	}
	c := &client{w: bufio.NewWriterSize(conn, 1<<16), r: bufio.NewReaderSize(conn, 1<<16)}

	pid := c.info("process_id")
	cpu0 := cpuTime(pid)
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	pending := 0
	for i := range *keys {
		for j := range *fields {
			buf = buf[:0]
			if *dataset == "hash" {
				buf = appendCmd(buf, "HSET", "hash:"+strconv.Itoa(i), "field:"+strconv.Itoa(j), "value:"+strconv.Itoa(j)+":"+strconv.Itoa(i))
			} else {
				score := strconv.FormatFloat(rng.Float64()*1000, 'f', -1, 64)
				buf = appendCmd(buf, "ZADD", "zset:"+strconv.Itoa(i), score, "member:"+strconv.Itoa(j))
			}
			c.w.Write(buf)
			pending++
			if pending == *pipeline {
				c.drain(pending)
				pending = 0
			}
		}
	}
	c.drain(pending)
	load := time.Since(start)
	cpu := cpuTime(pid) - cpu0
	var rss, lastRSS int64
	stable := time.Now()
	for {
		time.Sleep(250 * time.Millisecond)
		rss = vmRSS(pid)
		if lastRSS == 0 || abs(rss-lastRSS)*100 > lastRSS {
			lastRSS, stable = rss, time.Now()
		} else if time.Since(stable) >= *settle {
			break
		}
	}
	fmt.Printf("%s keys=%s load_ms=%d server_cpu_ms=%d used_memory=%d used_memory_rss=%d vmrss=%d\n", *dataset,
		c.info("db0"), load.Milliseconds(), cpu.Milliseconds(), c.infoInt("used_memory"), c.infoInt("used_memory_rss"), rss)
}

type client struct {
	w *bufio.Writer
	r *bufio.Reader
}

// drain flushes and reads n replies, failing on an error reply.
func (c *client) drain(n int) {
	if err := c.w.Flush(); err != nil {
		fail(err)
	}
	for range n {
		line, err := c.r.ReadString('\n')
		if err != nil {
			fail(err)
		}
		if line[0] == '-' {
			fail(fmt.Errorf("server: %s", strings.TrimSpace(line)))
		}
	}
}

// info returns one INFO field's value ("" if absent).
func (c *client) info(field string) string {
	c.w.Write(appendCmd(nil, "INFO", "everything"))
	c.w.Flush()
	line, err := c.r.ReadString('\n')
	if err != nil || line[0] != '$' {
		fail(fmt.Errorf("INFO: %q %v", line, err))
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	body := make([]byte, n+2)
	if _, err := io.ReadFull(c.r, body); err != nil {
		fail(err)
	}
	for _, l := range strings.Split(string(body), "\r\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == field {
			if field == "db0" {
				v, _, _ = strings.Cut(strings.TrimPrefix(v, "keys="), ",")
			}
			return v
		}
	}
	return ""
}

func (c *client) infoInt(field string) int64 {
	v, _ := strconv.ParseInt(c.info(field), 10, 64)
	return v
}

// cpuTime is the user+system CPU time pid has used (/proc/<pid>/stat),
// which measures the server's work during the load more steadily than
// the wall clock on a shared machine.
func cpuTime(pid string) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		fail(err)
	}
	// Fields after the parenthesized command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks (100 per second).
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// vmRSS reads VmRSS of pid in bytes.
func vmRSS(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		fail(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func appendCmd(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "memory:", err)
	os.Exit(1)
}
