//go:build linux

package server

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// The event loop (Linux).
//
// With a goroutine per connection, each request costs a read that returns
// it, a write, and a second read that finds nothing and parks the
// goroutine: three system calls where redis-server's ae loop makes two
// (epoll_wait tells it the socket is readable, so its one read succeeds).
// On Linux, clients are served instead by one goroutine that waits on an
// epoll instance of its own, reads each ready socket once, runs the batch
// under s.mu and writes the replies without ever waiting for the socket.
//
// Whatever has to wait hands the client to a goroutine for that episode
// (serveEpisode in server.go): a blocking command that blocks, a client
// paused by CLIENT PAUSE, a script (BUSY replies and SCRIPT KILL need the
// other clients served meanwhile), appendfsync always (the reply waits for
// the fsync), or replies the socket cannot take yet. The goroutine runs
// the rest of the batch with waiting allowed, then gives the client back.
//
// The loop waits in epoll_wait on its thread, as redis-server does, for at
// most loopWaitMillis. It yields to the scheduler after a round that
// readied a goroutine (a woken blocked client, an episode, a writer),
// every 8 rounds and when idle, so those goroutines, the cron and the
// snapshot run between rounds. (Parking the loop in Go's poller
// instead, with the epoll fd registered there, cost a second epoll call and
// a thread switch per wake-up: 20% more CPU per request.)
//
// Ownership: a client is owned by the loop or by its episode goroutine.
// Only the owner reads from it and only the owner unlinks it. Anybody else
// that disconnects it (CLIENT KILL, output limits) shuts the socket down
// (client.disconnect), which the owner reads as the end of the stream:
// closing it would take it out of the epoll set unseen.
type eventLoop struct {
	s        *Server
	fd       int // the epoll instance
	wakefd   int // an eventfd in it: stop writes to it
	stopping atomic.Bool

	mu      sync.Mutex
	conns   map[int64]*client // clients the loop owns, by id (the epoll data)
	stopped bool

	events  []syscall.EpollEvent
	pending []*client // served this round, replies not yet written
}

// loopWaitMillis bounds a wait for events, so the loop also runs what
// goroutines became runnable meanwhile without anything to wake it.
const loopWaitMillis = 10

// newEventLoop creates the loop; run starts it.
func newEventLoop(s *Server) (*eventLoop, error) {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wfd, _, errno := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if errno != 0 {
		syscall.Close(fd)
		return nil, errno
	}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN} // data 0: client ids start at 1
	if err := syscall.EpollCtl(fd, syscall.EPOLL_CTL_ADD, int(wfd), &ev); err != nil {
		syscall.Close(int(wfd))
		syscall.Close(fd)
		return nil, err
	}
	return &eventLoop{s: s, fd: fd, wakefd: int(wfd),
		conns: make(map[int64]*client), events: make([]syscall.EpollEvent, 256)}, nil
}

// run serves the loop's clients until stop.
func (l *eventLoop) run() {
	defer l.s.wg.Done()
	var poll busyPoll
	for round := 0; !l.stopping.Load(); round++ {
		wait := loopWaitMillis
		window := time.Duration(l.s.busyPoll.Load())
		spinning := poll.before(window, monotonic)
		if spinning || processGC.purging.Load() {
			wait = 0 // poll: busy polling (busypoll.go), or a purge runs and the loop yields below when idle (gcPolicy.purging)
		}
		n, err := syscall.EpollWait(l.fd, l.events, wait)
		if err != nil {
			n = 0 // EINTR
		}
		if window > 0 {
			if n > 0 {
				poll.events(monotonic)
			} else {
				poll.empty(monotonic)
			}
		}
		for _, ev := range l.events[:n] {
			id := int64(uint32(ev.Fd)) | int64(ev.Pad)<<32
			if id == 0 { // the wake eventfd
				var b [8]byte
				_, _ = syscall.Read(l.wakefd, b[:])
				continue
			}
			l.mu.Lock()
			c := l.conns[id]
			l.mu.Unlock()
			if c != nil {
				l.serve(c)
			}
		}
		l.flushPending()
		// Let goroutines run: at once when the loop readied some (blocked
		// clients, episodes, writers), else every few rounds (timers, the
		// cron, the snapshot): a yield costs about as much as serving a
		// request. While the loop waits in epoll_wait the scheduler's
		// monitor hands them the P too, but only after its tick.
		if l.s.readied.Swap(false) || (n == 0 && !spinning) || round%8 == 0 {
			runtime.Gosched()
		}
	}
	l.mu.Lock()
	l.stopped = true
	conns := l.conns
	l.conns = nil
	l.mu.Unlock()
	for _, c := range conns {
		l.s.finishClient(c)
	}
	syscall.Close(l.wakefd)
	syscall.Close(l.fd)
}

// stop ends run; the loop unlinks the clients it owns.
func (l *eventLoop) stop() {
	l.stopping.Store(true)
	one := [8]byte{1}
	_, _ = syscall.Write(l.wakefd, one[:])
}

// serve reads once from c and runs the requests that completed. Their
// replies wait in c.reply for the end of the round (flushPending), as
// redis-server writes replies in beforeSleep: a client that reads them
// finds many sockets ready at once instead of waking for each, and its
// next requests arrive together too.
func (l *eventLoop) serve(c *client) {
	s := l.s
	err := c.rd.ReadMore()
	if err == errWouldBlock {
		return
	}
	for {
		cmds, perr := c.rd.ParseBuffered()
		if len(cmds) == 0 && perr == nil {
			break
		}
		if h := s.executeInput(c, cmds, perr, false); h != nil {
			l.handoff(c, h)
			return
		}
		if perr != nil || c.closing() {
			err = perr
			break
		}
	}
	if err != nil || c.closing() {
		// The end of the stream (or a protocol error, or QUIT): the
		// replies go now and the client with them.
		l.flush(c, err)
		return
	}
	switch {
	case len(c.reply) >= flushNowBytes:
		l.flush(c, nil)
	case len(c.reply) > 0 && !c.flushPending:
		c.flushPending = true
		l.pending = append(l.pending, c)
	}
}

// flushNowBytes: replies this big are written at once, while they are
// still in the CPU's cache and before later clients' replies push them
// out (50 clients of LRANGE_600 at -P 16 build some 5 MB a round); the
// client has plenty to read anyway.
const flushNowBytes = 16 << 10

// flushPending writes the replies of the round's clients.
func (l *eventLoop) flushPending() {
	for i, c := range l.pending {
		l.pending[i] = nil
		c.flushPending = false
		l.flush(c, nil)
	}
	l.pending = l.pending[:0]
}

// flush writes c's replies and hands c off or drops it as the write and
// err require.
func (l *eventLoop) flush(c *client, err error) {
	h, keep := l.s.flushInput(c, err)
	switch {
	case h != nil:
		l.handoff(c, h)
	case !keep:
		l.drop(c)
	}
}

// add makes the loop the owner of a new or returning client; false when
// it cannot (the loop stopped, the socket is gone), and the caller still
// owns c.
func (l *eventLoop) add(c *client) bool {
	if c.rc == nil {
		return false
	}
	// Set before l.mu is released: the loop finds c through l.conns under
	// l.mu, which orders these writes before its reads (the epoll set,
	// a kernel object, orders nothing for Go's memory model).
	c.inLoop = true
	c.rd.SetSource(c.loopIO)
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		c.inLoop = false
		c.rd.SetSource(c.conn)
		return false
	}
	l.conns[c.id] = c
	l.mu.Unlock()
	var err error
	cerr := c.rc.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(uint32(c.id)), Pad: int32(c.id >> 32)}
		err = syscall.EpollCtl(l.fd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
	})
	if cerr != nil || err != nil {
		l.release(c) // the caller keeps c
		return false
	}
	return true
}

// handoff gives c to a goroutine for an episode that has to wait.
func (l *eventLoop) handoff(c *client, h *handoff) {
	l.release(c)
	l.s.readied.Store(true)
	go l.s.serveEpisode(c, h)
}

// drop unlinks a client the loop owns.
func (l *eventLoop) drop(c *client) {
	l.release(c)
	l.s.finishClient(c)
}

// release takes c out of the loop: the caller becomes its owner.
func (l *eventLoop) release(c *client) {
	l.mu.Lock()
	delete(l.conns, c.id)
	l.mu.Unlock()
	_ = c.rc.Control(func(fd uintptr) {
		_ = syscall.EpollCtl(l.fd, syscall.EPOLL_CTL_DEL, int(fd), nil)
	})
	c.inLoop = false
	c.rd.SetSource(c.conn)
}

// rawConnOf returns the connection's raw descriptor access, or nil.
func rawConnOf(conn any) syscall.RawConn {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// loopIO reads and writes a connection without waiting (errWouldBlock
// when nothing can be read or written now). The callbacks RawConn needs
// are method values made once per client: a closure per call would be an
// allocation per read and per write. Reads come from the owner only, and
// one drain at a time writes (client.writing), so each side's fields have
// one user at a time.
type loopIO struct {
	rc syscall.RawConn

	rp     []byte
	rn     int
	rerr   error
	readFn func(uintptr) bool

	wp      []byte
	wn      int
	werr    error
	writeFn func(uintptr) bool
}

func newLoopIO(rc syscall.RawConn) *loopIO {
	x := &loopIO{rc: rc}
	x.readFn, x.writeFn = x.doRead, x.doWrite
	return x
}

func (x *loopIO) doRead(fd uintptr) bool {
	x.rn, x.rerr = rawIO(syscall.SYS_READ, fd, x.rp)
	return true
}

// Read is the request reader's source while the loop owns the client.
func (x *loopIO) Read(p []byte) (int, error) {
	x.rp = p
	cerr := x.rc.Read(x.readFn)
	n, err := x.rn, x.rerr
	x.rp, x.rerr = nil, nil
	switch {
	case cerr != nil:
		return 0, cerr
	case err == syscall.EAGAIN:
		return 0, errWouldBlock
	case err != nil:
		return 0, err
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (x *loopIO) doWrite(fd uintptr) bool {
	for x.wn < len(x.wp) {
		m, e := rawIO(syscall.SYS_WRITE, fd, x.wp[x.wn:])
		if m > 0 {
			x.wn += m
		}
		if e != nil {
			x.werr = e
			break
		}
		if m == 0 {
			x.werr = io.ErrShortWrite
			break
		}
	}
	return true
}

// rawIO is read(2) or write(2) on a non-blocking socket without telling
// the scheduler (RawSyscall): it never blocks, and the bookkeeping of a
// scheduler-aware system call costs about as much as the call itself.
func rawIO(trap, fd uintptr, p []byte) (int, error) {
	for {
		r, _, e := syscall.RawSyscall(trap, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
		switch e {
		case 0:
			return int(r), nil
		case syscall.EINTR:
			continue
		}
		return 0, e
	}
}

// tryWrite writes what the socket takes now: errWouldBlock with n short
// when it is full.
func (c *client) tryWrite(b []byte) (n int, err error) {
	x := c.loopIO
	x.wp, x.wn, x.werr = b, 0, nil
	cerr := c.rc.Write(x.writeFn)
	n, err = x.wn, x.werr
	x.wp, x.werr = nil, nil
	if cerr != nil {
		return n, cerr
	}
	if err == syscall.EAGAIN {
		err = errWouldBlock
	}
	return n, err
}

// disconnect ends c's connection from outside its owner: the socket is
// shut down, and the owner reads the end of the stream and unlinks c.
func (c *client) disconnect() {
	if c.rc != nil && c.rc.Control(func(fd uintptr) {
		_ = syscall.Shutdown(int(fd), syscall.SHUT_RDWR)
	}) == nil {
		return
	}
	c.conn.Close()
}
