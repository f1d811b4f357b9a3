// Package resp reads Redis requests and writes Redis replies.
//
// Requests come in two forms, as in Redis's networking.c:
//
//	multibulk: *<argc>\r\n then argc times $<len>\r\n<bytes>\r\n
//	inline:    any line not starting with '*', split like sdssplitargs
//	           (spaces separate, "double" quotes take \n \r \t \b \a \\ \" \xHH,
//	           'single' quotes take \'), ending in \n with an optional \r.
//
// The Reader reads whatever the socket has and returns every complete request
// in it as one batch, so a pipeline executes under one lock and is answered
// with one write. Arguments alias the Reader's buffer and are valid only until
// the next ReadBatch: whoever keeps one must copy it.
//
// Limits and their errors are Redis 7.0's. A protocol error is returned as a
// *ProtocolError whose text is the reply Redis sends before it closes the
// connection ("Protocol error: invalid bulk length", ...).
package resp

import (
	"errors"
	"io"

	"ferrite/datatypes"
)

// Limits bound what one client may send. Zero values mean Redis's defaults.
type Limits struct {
	MaxBulk        int64 // proto-max-bulk-len (512mb)
	MaxQueryBuffer int64 // client-query-buffer-limit (1gb)
	// Unauthenticated clients may send at most 10 arguments of 16KB each,
	// as Redis 7.0 enforces before AUTH.
	Unauthenticated bool
}

const (
	// InlineMax is PROTO_INLINE_MAX_SIZE: longest inline request and longest
	// count line.
	InlineMax       = 64 * 1024
	defaultMaxBulk  = 512 * 1024 * 1024
	defaultMaxQuery = 1024 * 1024 * 1024
	ioChunk         = 16 * 1024
	bigArg          = 32 * 1024 // PROTO_MBULK_BIG_ARG: read such bulks exactly
)

// ProtocolError is a malformed request. Its text is the error Redis replies
// with (without the "ERR " prefix) before closing the connection.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// ErrQueryBufferLimit means the client exceeded client-query-buffer-limit;
// Redis closes such a client without a reply.
var ErrQueryBufferLimit = errors.New("query buffer limit reached")

// Reader parses requests from an io.Reader. Not safe for concurrent use.
type Reader struct {
	rd     io.Reader
	Limits Limits
	buf    []byte
	r, w   int // unread bytes are buf[r:w]

	// parse state of the request being assembled, so a huge request that
	// arrives in many reads is not re-parsed from its start each time.
	inReq   bool
	argc    int      // expected arguments
	args    [][2]int // offsets of parsed arguments relative to reqStart
	reqOff  int      // where the next unparsed header starts, relative to reqStart
	bulkLen int      // length of the bulk being waited for, -1 if none
	nread   int64
	cmds    [][][]byte
	argPool [][]byte
}

// NewReader returns a Reader on rd.
func NewReader(rd io.Reader) *Reader { return &Reader{rd: rd, bulkLen: -1} }

func (rd *Reader) maxBulk() int64 {
	if rd.Limits.MaxBulk > 0 {
		return rd.Limits.MaxBulk
	}
	return defaultMaxBulk
}

func (rd *Reader) maxQuery() int64 {
	if rd.Limits.MaxQueryBuffer > 0 {
		return rd.Limits.MaxQueryBuffer
	}
	return defaultMaxQuery
}

// Buffered reports how many unparsed bytes the Reader holds.
func (rd *Reader) Buffered() int { return rd.w - rd.r }

// Consumed returns the bytes read from the connection since the last call.
func (rd *Reader) Consumed() int64 {
	n := rd.nread
	rd.nread = 0
	return n
}

// BufferCap reports the size of the read buffer (for CLIENT LIST qbuf).
func (rd *Reader) BufferCap() int { return cap(rd.buf) }

// ReadBatch blocks until at least one complete request has arrived and
// returns every complete request buffered. Empty requests (an empty inline
// line, *0 or *-1) are skipped as Redis skips them. On a protocol error the
// requests parsed before it are returned together with the error.
func (rd *Reader) ReadBatch() ([][][]byte, error) {
	rd.cmds = rd.cmds[:0]
	rd.argPool = rd.argPool[:0]
	for {
		err := rd.parseAll()
		if len(rd.cmds) > 0 || err != nil {
			return rd.cmds, err
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

// ParseBuffered returns the complete requests already in the buffer
// without reading: an event loop reads once per readiness event (ReadMore)
// and then runs what arrived, so one client's stream cannot hold it.
// Requests returned earlier stop being valid.
func (rd *Reader) ParseBuffered() ([][][]byte, error) {
	rd.cmds = rd.cmds[:0]
	rd.argPool = rd.argPool[:0]
	err := rd.parseAll()
	return rd.cmds, err
}

// SetSource replaces the reader the requests come from (a connection is
// read without blocking by an event loop, and blocking by a goroutine);
// what is buffered stays.
func (rd *Reader) SetSource(r io.Reader) { rd.rd = r }

// ReadMore reads once from the source into the buffer without parsing: a
// blocked client keeps reading (so a disconnect is seen) while its next
// requests wait. Requests returned earlier stop being valid.
func (rd *Reader) ReadMore() error {
	if int64(rd.w-rd.r) > rd.maxQuery() {
		return ErrQueryBufferLimit
	}
	return rd.fill()
}

// fill makes room and reads once from the underlying reader.
func (rd *Reader) fill() error {
	if rd.r > 0 { // keep only the partial request
		n := copy(rd.buf, rd.buf[rd.r:rd.w])
		rd.r, rd.w = 0, n
	}
	if rd.r == rd.w && cap(rd.buf) > 4*ioChunk { // an idle big buffer shrinks
		rd.buf = nil
		rd.r, rd.w = 0, 0
	}
	need := ioChunk
	if rd.bulkLen >= bigArg { // read a big argument in one piece
		if n := rd.reqOff + rd.bulkLen + 2 - (rd.w - rd.r); n > need {
			need = n
		}
	}
	if len(rd.buf)-rd.w < need {
		size := 2 * len(rd.buf)
		if size < rd.w+need {
			size = rd.w + need
		}
		if size < ioChunk {
			size = ioChunk
		}
		nb := make([]byte, size)
		copy(nb, rd.buf[:rd.w])
		rd.buf = nb
	}
	n, err := rd.rd.Read(rd.buf[rd.w:])
	rd.w += n
	rd.nread += int64(n)
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// parseAll parses complete requests from buf[r:w] into rd.cmds.
func (rd *Reader) parseAll() error {
	for rd.r < rd.w {
		if int64(rd.w-rd.r) > rd.maxQuery() {
			return ErrQueryBufferLimit
		}
		var done bool
		var err error
		if rd.inReq || rd.buf[rd.r] == '*' {
			done, err = rd.parseMultibulk()
		} else {
			done, err = rd.parseInline()
		}
		if err != nil || !done {
			return err
		}
		// Before AUTH, requests are parsed one at a time (as Redis does)
		// so an AUTH changes the limits for the request after it.
		if rd.Limits.Unauthenticated && len(rd.cmds) > 0 {
			return nil
		}
	}
	return nil
}

// emit turns the offsets of the finished request into argument slices.
func (rd *Reader) emit(start int) {
	base := len(rd.argPool)
	for _, a := range rd.args {
		rd.argPool = append(rd.argPool, rd.buf[start+a[0]:start+a[1]:start+a[1]])
	}
	if len(rd.args) > 0 {
		rd.cmds = append(rd.cmds, rd.argPool[base:len(rd.argPool):len(rd.argPool)])
	}
	rd.args = rd.args[:0]
}

func (rd *Reader) parseMultibulk() (bool, error) {
	start := rd.r
	data := rd.buf[start:rd.w]
	if !rd.inReq {
		n, nl, ok := fastLen(data)
		if !ok {
			nl = indexCR(data)
			if nl < 0 {
				if len(data) > InlineMax {
					return false, &ProtocolError{"too big mbulk count string"}
				}
				return false, nil
			}
			n, ok = parseInt(data[1:nl])
		}
		if nl+1 >= len(data) { // need the \n too
			return false, nil
		}
		if !ok || n > 1<<31-1 {
			return false, &ProtocolError{"invalid multibulk length"}
		}
		if n > 10 && rd.Limits.Unauthenticated {
			return false, &ProtocolError{"unauthenticated multibulk length"}
		}
		rd.reqOff = nl + 2
		if n <= 0 { // *0 and *-1 are empty requests
			rd.r += rd.reqOff
			return true, nil
		}
		rd.inReq, rd.argc, rd.bulkLen = true, int(n), -1
		if cap(rd.args) < rd.argc && rd.argc <= 1024 {
			rd.args = make([][2]int, 0, rd.argc)
		}
	}
	for len(rd.args) < rd.argc {
		if rd.bulkLen < 0 {
			p := data[rd.reqOff:]
			n, nl, ok := fastLen(p)
			if !ok || p[0] != '$' {
				nl = indexCR(p)
				if nl < 0 {
					if len(p) > InlineMax {
						return false, &ProtocolError{"too big bulk count string"}
					}
					return false, nil
				}
				if nl+1 >= len(p) {
					return false, nil
				}
				if p[0] != '$' {
					return false, &ProtocolError{"expected '$', got '" + string(p[0]) + "'"}
				}
				n, ok = parseInt(p[1:nl])
			} else if nl+1 >= len(p) {
				return false, nil
			}
			if !ok || n < 0 || n > rd.maxBulk() {
				return false, &ProtocolError{"invalid bulk length"}
			}
			if n > 16384 && rd.Limits.Unauthenticated {
				return false, &ProtocolError{"unauthenticated bulk length"}
			}
			rd.bulkLen = int(n)
			rd.reqOff += nl + 2
		}
		if len(data)-rd.reqOff < rd.bulkLen+2 {
			return false, nil
		}
		rd.args = append(rd.args, [2]int{rd.reqOff, rd.reqOff + rd.bulkLen})
		rd.reqOff += rd.bulkLen + 2
		rd.bulkLen = -1
	}
	rd.inReq = false
	rd.emit(start)
	rd.r = start + rd.reqOff
	rd.reqOff = 0
	return true, nil
}

func (rd *Reader) parseInline() (bool, error) {
	data := rd.buf[rd.r:rd.w]
	// Redis finds the line end with strchr, which stops at a NUL byte: a
	// NUL before the newline leaves the request incomplete.
	nl := -1
	for i, c := range data {
		if c == '\n' {
			nl = i
			break
		}
		if c == 0 {
			break
		}
	}
	if nl < 0 {
		if len(data) > InlineMax {
			return false, &ProtocolError{"too big inline request"}
		}
		return false, nil
	}
	line := data[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	start := rd.r
	rd.r += nl + 1
	args, ok := SplitArgs(line, rd.args[:0])
	rd.args = args
	if !ok {
		rd.args = rd.args[:0]
		return false, &ProtocolError{"unbalanced quotes in request"}
	}
	// Quoted arguments were unescaped in place inside line, so the offsets
	// are relative to start like those of a multibulk request.
	rd.emit(start)
	return true, nil
}

// indexCR finds the '\r' ending a header line as Redis's strchr does: a
// NUL byte first means not found.
func indexCR(b []byte) int {
	for i, c := range b {
		if c == '\r' {
			return i
		}
		if c == 0 {
			return -1
		}
	}
	return -1
}

// fastLen parses the usual length line of a request: a type byte, then a
// canonical positive number of up to 9 digits, then '\r' (the '\n' is not
// looked at). Anything else (0, a sign, a long or bad number, a NUL, an
// incomplete line) reports false and takes the general path, so errors
// and edge cases are decided in one place.
func fastLen(p []byte) (n int64, cr int, ok bool) {
	if len(p) < 3 || p[1] < '1' || p[1] > '9' {
		return 0, 0, false
	}
	n = int64(p[1] - '0')
	for i := 2; i < len(p) && i <= 10; i++ {
		c := p[i]
		if c == '\r' {
			return n, i, true
		}
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return 0, 0, false
}

// parseInt is Redis's string2ll (shared with the keyspace's integer
// encoding, which must accept exactly the same canonical forms).
func parseInt(b []byte) (int64, bool) { return datatypes.ParseInt(b) }

// SplitArgs splits an inline request line as Redis's sdssplitargs does,
// appending [start,end) offsets (relative to line) to dst. Quoted arguments
// are unescaped in place (an unescaped argument is never longer than its
// quoted form). It reports false on unbalanced quotes or a closing quote not
// followed by a space.
func SplitArgs(line []byte, dst [][2]int) ([][2]int, bool) {
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return dst, true
		}
		out := i // write position for the unescaped argument
		begin := out
		inq, insq := false, false
		for {
			if inq {
				if i >= len(line) {
					return dst, false
				}
				c := line[i]
				if c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]) {
					line[out] = hexVal(line[i+2])*16 + hexVal(line[i+3])
					out++
					i += 4
					continue
				}
				if c == '\\' && i+1 < len(line) {
					i++
					switch line[i] {
					case 'n':
						c = '\n'
					case 'r':
						c = '\r'
					case 't':
						c = '\t'
					case 'b':
						c = '\b'
					case 'a':
						c = '\a'
					default:
						c = line[i]
					}
					line[out] = c
					out++
					i++
					continue
				}
				if c == '"' {
					// closing quote must be followed by a space or nothing
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return dst, false
					}
					i++
					break
				}
				line[out] = c
				out++
				i++
				continue
			}
			if insq {
				if i >= len(line) {
					return dst, false
				}
				c := line[i]
				if c == '\\' && i+1 < len(line) && line[i+1] == '\'' {
					line[out] = '\''
					out++
					i += 2
					continue
				}
				if c == '\'' {
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return dst, false
					}
					i++
					break
				}
				line[out] = c
				out++
				i++
				continue
			}
			if i >= len(line) {
				break
			}
			c := line[i]
			// an unquoted token ends only at these, not at \v or \f
			if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
				i++
				break
			}
			if c == '"' {
				inq = true
				i++
				continue
			}
			if c == '\'' {
				insq = true
				i++
				continue
			}
			line[out] = c
			out++
			i++
		}
		dst = append(dst, [2]int{begin, out})
	}
}

// isSpace matches C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
