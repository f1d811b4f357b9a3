//go:build !linux

package server

import "syscall"

// Without epoll every client is served by its own goroutine
// (eventloop_linux.go explains the loop).
type eventLoop struct{}

func newEventLoop(*Server) (*eventLoop, error) { return nil, errNoEventLoop }

func (l *eventLoop) run()                      {}
func (l *eventLoop) stop()                     {}
func (l *eventLoop) add(*client) bool          { return false }
func (l *eventLoop) handoff(*client, *handoff) {}
func rawConnOf(any) syscall.RawConn            { return nil }
func (c *client) tryWrite([]byte) (int, error) { return 0, errWouldBlock }
func (c *client) disconnect()                  { c.conn.Close() }

type loopIO struct{}

func newLoopIO(syscall.RawConn) *loopIO    { return nil }
func (x *loopIO) Read([]byte) (int, error) { return 0, errWouldBlock }
