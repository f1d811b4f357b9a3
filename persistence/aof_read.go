package persistence

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// An AOF command stream is RESP arrays of bulk strings, one per command,
// as Redis's catAppendOnlyGenericCommand writes them:
//
//	*<argc>\r\n ($<len>\r\n<bytes>\r\n){argc}
//
// with optional annotation lines starting with '#' between commands
// (aof-timestamp-enabled writes "#TS:<unix-seconds>\r\n").

// ErrAOFTruncated means the stream ended inside a command: the tail of a
// file whose last write was cut short. Offset of the CommandReader is
// then the end of the last complete command.
var ErrAOFTruncated = errors.New("unexpected end of file")

// AOFFormatError is bytes that are not an AOF command where one must
// start: a corrupt file, not a truncated one.
type AOFFormatError struct {
	Offset int64 // where the bad command starts
	Msg    string
}

func (e *AOFFormatError) Error() string {
	return fmt.Sprintf("bad file format at offset %d: %s", e.Offset, e.Msg)
}

// maxAOFArgLen bounds one argument's declared length so a corrupt length
// cannot make the reader allocate gigabytes (proto-max-bulk-len's cap).
const maxAOFArgLen = 1 << 40

// CommandReader reads commands from an AOF stream.
type CommandReader struct {
	r      *bufio.Reader
	pos    int64 // bytes consumed
	valid  int64 // end of the last complete command
	line   int64 // lines consumed (redis-check-aof reports them)
	vline  int64 // lines at valid
	buf    []byte
	argBuf [][]byte
}

// NewCommandReader reads commands from r; start is r's offset in its
// file (after an RDB preamble), so offsets are file offsets.
func NewCommandReader(r io.Reader, start int64) *CommandReader {
	return &CommandReader{r: bufio.NewReaderSize(r, 64<<10), pos: start, valid: start}
}

// Offset is the file offset just after the last complete command: where
// a truncated file should be cut.
func (cr *CommandReader) Offset() int64 { return cr.valid }

// Line is the number of lines up to Offset.
func (cr *CommandReader) Line() int64 { return cr.vline }

// Next returns the next command. argv is valid until the next call. At
// the clean end of the stream it returns io.EOF; in the middle of a
// command ErrAOFTruncated; on bytes that are not a command an
// *AOFFormatError; other errors are the reader's.
func (cr *CommandReader) Next() (argv [][]byte, err error) {
	for {
		start := cr.pos
		hdr, err := cr.readLine()
		if err == io.EOF && len(hdr) == 0 {
			return nil, io.EOF
		}
		if err != nil {
			return nil, cr.eof(err)
		}
		if hdr[0] == '#' {
			cr.commit()
			continue
		}
		if hdr[0] != '*' {
			return nil, &AOFFormatError{start, "expected '*'"}
		}
		argc, ok := parseLen(hdr[1:])
		if !ok || argc < 1 {
			return nil, &AOFFormatError{start, "invalid argument count"}
		}
		cr.buf = cr.buf[:0]
		ends := cr.argBuf[:0]
		for j := int64(0); j < argc; j++ {
			h, err := cr.readLine()
			if err != nil {
				return nil, cr.eof(err)
			}
			if h[0] != '$' {
				return nil, &AOFFormatError{start, "expected '$'"}
			}
			n, ok := parseLen(h[1:])
			if !ok || n < 0 || n > maxAOFArgLen {
				return nil, &AOFFormatError{start, "invalid bulk length"}
			}
			off := len(cr.buf)
			// Grow as bytes arrive, so a corrupt length cannot allocate
			// more than the file holds.
			for left := n + 2; left > 0; {
				chunk := min(left, 1<<20)
				at := len(cr.buf)
				cr.buf = append(cr.buf, make([]byte, chunk)...)
				if _, err := io.ReadFull(cr.r, cr.buf[at:]); err != nil {
					return nil, cr.eof(err)
				}
				left -= chunk
			}
			cr.pos += n + 2
			if cr.buf[off+int(n)] != '\r' || cr.buf[off+int(n)+1] != '\n' {
				return nil, &AOFFormatError{start, "bulk string not terminated by CRLF"}
			}
			cr.line++
			cr.buf = cr.buf[:off+int(n)]
			ends = append(ends, cr.buf[off:off+int(n)])
		}
		// cr.buf may have moved while growing: slice it again.
		argv = ends[:0]
		off := 0
		for _, a := range ends {
			n := len(a)
			argv = append(argv, cr.buf[off:off+n:off+n])
			off += n
		}
		cr.argBuf = argv
		cr.commit()
		return argv, nil
	}
}

func (cr *CommandReader) commit() { cr.valid, cr.vline = cr.pos, cr.line }

func (cr *CommandReader) eof(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ErrAOFTruncated
	}
	return err
}

// readLine reads one CRLF (or LF) terminated line without its ending.
func (cr *CommandReader) readLine() ([]byte, error) {
	line, err := cr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, &AOFFormatError{cr.pos, "line too long"}
	}
	if err != nil {
		if len(line) > 0 {
			return line, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	cr.pos += int64(len(line))
	cr.line++
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		return nil, &AOFFormatError{cr.pos - 1, "empty line"}
	}
	return line, nil
}

func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// AppendCommand appends argv in AOF form to b.
func AppendCommand(b []byte, argv [][]byte) []byte {
	b = append(b, '*')
	b = appendUint(b, uint64(len(argv)))
	b = append(b, '\r', '\n')
	for _, a := range argv {
		b = append(b, '$')
		b = appendUint(b, uint64(len(a)))
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

func appendUint(b []byte, n uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}
