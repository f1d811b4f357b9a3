// Command pubsub measures PUBLISH fan-out: subscribers connections
// SUBSCRIBE to one channel, publishers connections PUBLISH to it in a
// pipelined loop, and the messages the subscribers actually receive per
// second are reported (with the PUBLISH calls per second).
//
//	go run ./bench/pubsub -addr 127.0.0.1:6379 -subscribers 100 -publishers 4 -seconds 5
//
// Run it against redis-server and Ferrite in the same session, alternating,
// and compare the delivered/s figures (bench/pubsub.sh does that).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	subs := flag.Int("subscribers", 100, "subscriber connections")
	pubs := flag.Int("publishers", 4, "publisher connections")
	pipeline := flag.Int("pipeline", 16, "PUBLISH commands per round trip")
	size := flag.Int("size", 32, "message bytes")
	seconds := flag.Float64("seconds", 5, "duration")
	flag.Parse()

	var delivered atomic.Int64
	ready := sync.WaitGroup{}
	for i := 0; i < *subs; i++ {
		conn, err := net.Dial("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintf(conn, "*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nbench\r\n")
		r := bufio.NewReaderSize(conn, 1<<16)
		ready.Add(1)
		go func() {
			// The confirmation is 6 lines; every message is 7 lines
			// (*3, $7, message, $5, bench, $n, payload).
			for range 6 {
				if _, err := r.ReadSlice('\n'); err != nil {
					return
				}
			}
			ready.Done()
			for {
				for range 7 {
					if _, err := r.ReadSlice('\n'); err != nil {
						return
					}
				}
				delivered.Add(1)
			}
		}()
	}
	ready.Wait()

	payload := make([]byte, *size)
	for i := range payload {
		payload[i] = 'x'
	}
	cmd := fmt.Appendf(nil, "*3\r\n$7\r\nPUBLISH\r\n$5\r\nbench\r\n$%d\r\n%s\r\n", len(payload), payload)
	batch := make([]byte, 0, len(cmd)**pipeline)
	for range *pipeline {
		batch = append(batch, cmd...)
	}
	var published atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < *pubs; i++ {
		conn, err := net.Dial("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := bufio.NewReader(conn)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := conn.Write(batch); err != nil {
					return
				}
				for range *pipeline {
					if _, err := r.ReadSlice('\n'); err != nil {
						return
					}
				}
				published.Add(int64(*pipeline))
			}
		}()
	}
	time.Sleep(500 * time.Millisecond) // warm up
	d0, p0, t0 := delivered.Load(), published.Load(), time.Now()
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	d1, p1, el := delivered.Load(), published.Load(), time.Since(t0).Seconds()
	close(stop)
	wg.Wait()
	fmt.Printf("delivered/s %.0f publish/s %.0f\n", float64(d1-d0)/el, float64(p1-p0)/el)
}
