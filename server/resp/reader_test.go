package resp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
)

// chunkReader hands out at most n bytes per Read, as a socket delivering
// a stream in pieces does.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := c.n
	if n <= 0 || n > len(c.data) {
		n = len(c.data)
	}
	if n > len(p) {
		n = len(p)
	}
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// readAll parses in (delivered chunk bytes at a time; 0 = all at once)
// until the Reader fails, copying every argument since they alias the
// Reader's buffer. It returns the requests and the final error (io.EOF
// when the input simply ended).
func readAll(in []byte, chunk int, lim Limits) ([][]string, error) {
	rd := NewReader(&chunkReader{data: append([]byte(nil), in...), n: chunk})
	rd.Limits = lim
	var cmds [][]string
	for i := 0; ; i++ {
		batch, err := rd.ReadBatch()
		for _, argv := range batch {
			args := make([]string, len(argv))
			for j, a := range argv {
				args[j] = string(a)
			}
			cmds = append(cmds, args)
		}
		if err != nil {
			return cmds, err
		}
		if len(batch) == 0 {
			return cmds, errors.New("ReadBatch returned no request and no error")
		}
		if i > len(in)+1 {
			return cmds, errors.New("ReadBatch returned more batches than input bytes")
		}
	}
}

// protoMsg is the text of a protocol error as the client sees it, or ""
// for io.EOF (the input ended while the Reader waited for more).
func protoMsg(err error) string {
	var pe *ProtocolError
	switch {
	case errors.As(err, &pe):
		return pe.Msg
	case errors.Is(err, io.EOF):
		return ""
	}
	return "unexpected error: " + err.Error()
}

func TestReaderRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want [][]string
	}{
		{"multibulk", "*2\r\n$4\r\nECHO\r\n$3\r\na\r\n\r\n", [][]string{{"ECHO", "a\r\n"}}},
		{"pipeline", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\nPING\r\n", [][]string{{"PING"}, {"PING"}, {"PING"}}},
		{"empty bulk", "*2\r\n$3\r\nGET\r\n$0\r\n\r\n", [][]string{{"GET", ""}}},
		{"binary bulk", "*1\r\n$3\r\n\x00\r\n\r\n", [][]string{{"\x00\r\n"}}},
		{"empty requests are skipped", "*0\r\n*-1\r\n*-9223372036854775808\r\n\r\n\n   \r\nPING\n", [][]string{{"PING"}}},
		{"bulk terminator is not checked", "*1\r\n$4\r\nPINGxy*1\r\n$4\r\nPING\r\n", [][]string{{"PING"}, {"PING"}}},
		{"count line CR not followed by LF", "*1\rx$4\r\nPING\r\n", [][]string{{"PING"}}},
		{"inline", "SET k v\r\nGET k\n", [][]string{{"SET", "k", "v"}, {"GET", "k"}}},
		{"inline quotes", `SET "a b" 'c d' "\x41\n\"" 'it\'s' ""` + "\r\n", [][]string{{"SET", "a b", "c d", "A\n\"", "it's", ""}}},
		{"inline quote inside a token", "ECHO a\"b c\"\r\n", [][]string{{"ECHO", "ab c"}}},
		{"inline bad hex escape", `ECHO "\x4g\q"` + "\n", [][]string{{"ECHO", "x4gq"}}},
		{"inline tabs and CR", "\tECHO\t a \r\r\n", [][]string{{"ECHO", "a"}}},
		{"inline exactly 64KB with newline", "ECHO " + strings.Repeat("x", InlineMax-5) + "\n", [][]string{{"ECHO", strings.Repeat("x", InlineMax-5)}}},
		{"big argument", "*2\r\n$4\r\nECHO\r\n$100000\r\n" + strings.Repeat("z", 100000) + "\r\n", [][]string{{"ECHO", strings.Repeat("z", 100000)}}},
	} {
		for _, chunk := range []int{0, 1, 3, 4096} {
			if chunk < 4096 && len(tc.in) > 4096 {
				chunk += 4093 // a byte at a time is quadratic in an inline line's length (as in Redis)
			}
			got, err := readAll([]byte(tc.in), chunk, Limits{})
			if err != io.EOF {
				t.Errorf("%s (chunk %d): error %v, want io.EOF", tc.name, chunk, err)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("%s (chunk %d): got %q, want %q", tc.name, chunk, got, tc.want)
			}
		}
	}
}

// TestReaderErrors covers every limit and error path of the Reader, with
// the requests parsed before the error. Each message was checked against
// redis-server 7.0.15 (see integration/protocol_test.go, which replays
// them over sockets).
func TestReaderErrors(t *testing.T) {
	big := func(prefix string, n int) string { return prefix + strings.Repeat("1", n) }
	for _, tc := range []struct {
		name string
		in   string
		lim  Limits
		want [][]string
		msg  string // "" = no protocol error, the Reader waits for more
	}{
		{name: "multibulk length 2^63-1", in: "*9223372036854775807\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length INT_MAX+1", in: "*2147483648\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length INT_MAX waits", in: "*2147483647\r\n", msg: ""},
		{name: "multibulk length overflow", in: "*18446744073709551616\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length not a number", in: "*x\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length empty", in: "*\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length leading zero", in: "*01\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length plus sign", in: "*+1\r\n", msg: "invalid multibulk length"},
		{name: "multibulk length trailing space", in: "*1 \r\n", msg: "invalid multibulk length"},
		{name: "multibulk length LF only", in: "*1\n$4\r\nPING\r\n", msg: "invalid multibulk length"},
		// string2ll rejects "-0": Redis answers an error, not an empty request.
		{name: "multibulk length -0", in: "*-0\r\nPING\r\n", msg: "invalid multibulk length"},
		{name: "bulk length 2^63-1", in: "*1\r\n$9223372036854775807\r\n", msg: "invalid bulk length"},
		{name: "bulk length negative", in: "*1\r\n$-1\r\n", msg: "invalid bulk length"},
		{name: "bulk length -0", in: "*1\r\n$-0\r\n\r\n", msg: "invalid bulk length"},
		{name: "bulk length leading zero", in: "*1\r\n$00\r\n\r\n", msg: "invalid bulk length"},
		{name: "bulk length plus sign", in: "*1\r\n$+1\r\n", msg: "invalid bulk length"},
		{name: "bulk length over proto-max-bulk-len", in: "*1\r\n$536870913\r\n", msg: "invalid bulk length"},
		{name: "bulk length at proto-max-bulk-len waits", in: "*1\r\n$536870912\r\n", msg: ""},
		{name: "bulk length over MaxBulk", in: "*1\r\n$11\r\n", lim: Limits{MaxBulk: 10}, msg: "invalid bulk length"},
		{name: "bulk length at MaxBulk", in: "*1\r\n$10\r\n0123456789\r\n", lim: Limits{MaxBulk: 10}, want: [][]string{{"0123456789"}}},
		{name: "expected $", in: "*1\r\nPING\r\n", msg: "expected '$', got 'P'"},
		{name: "expected $ on a later argument", in: "*2\r\n$4\r\nECHO\r\n:1\r\n", msg: "expected '$', got ':'"},
		{name: "expected $ got CR", in: "*1\r\n\r\n\r\n", msg: "expected '$', got '\r'"},
		{name: "requests before the error are returned", in: "PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n", want: [][]string{{"PING"}, {"PING"}}, msg: "invalid multibulk length"},
		{name: "unauthenticated 11 arguments", in: "*11\r\n", lim: Limits{Unauthenticated: true}, msg: "unauthenticated multibulk length"},
		{name: "unauthenticated 10 arguments", in: "*10\r\n" + strings.Repeat("$1\r\na\r\n", 10), lim: Limits{Unauthenticated: true},
			want: [][]string{strings.Split(strings.Repeat("a", 10), "")}},
		{name: "unauthenticated 16385 bytes", in: "*1\r\n$16385\r\n", lim: Limits{Unauthenticated: true}, msg: "unauthenticated bulk length"},
		{name: "unauthenticated 16384 bytes", in: "*1\r\n$16384\r\n" + strings.Repeat("a", 16384) + "\r\n", lim: Limits{Unauthenticated: true},
			want: [][]string{{strings.Repeat("a", 16384)}}},
		{name: "unauthenticated inline has no argument limit", in: "A B C D E F G H I J K L\r\n", lim: Limits{Unauthenticated: true},
			want: [][]string{{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"}}},
		{name: "too big inline request", in: big("", InlineMax+1), msg: "too big inline request"},
		{name: "inline of exactly 64KB waits", in: big("", InlineMax), msg: ""},
		{name: "too big mbulk count string", in: big("*", InlineMax+1), msg: "too big mbulk count string"},
		{name: "too big bulk count string", in: big("*1\r\n$", InlineMax+1), msg: "too big bulk count string"},
		{name: "unbalanced double quote", in: "SET \"a b\r\n", msg: "unbalanced quotes in request"},
		{name: "unbalanced single quote", in: "SET 'a b\r\n", msg: "unbalanced quotes in request"},
		{name: "closing quote followed by a character", in: "SET \"a\"b\r\n", msg: "unbalanced quotes in request"},
		{name: "escaped closing quote", in: "SET \"a\\\"\r\n", msg: "unbalanced quotes in request"},
		{name: "truncated multibulk waits", in: "*3\r\n$3\r\nSET\r\n", msg: ""},
		{name: "count line without LF waits", in: "*1\r", msg: ""},
		{name: "truncated bulk waits", in: "*1\r\n$5\r\nab", msg: ""},
		{name: "bulk without its CRLF waits", in: "*1\r\n$2\r\nab", msg: ""},
		{name: "truncated inline waits", in: "PING\r\nECH", want: [][]string{{"PING"}}, msg: ""},
		// sdssplitargs ends a token only at ' ', \n, \r, \t (and NUL); it
		// skips isspace() (which also has \v and \f) only between tokens.
		{name: "inline vertical tab inside a token", in: "ECHO a\vb\r\n", want: [][]string{{"ECHO", "a\vb"}}},
		{name: "inline form feed inside a token", in: "ECHO a\fb\r\n", want: [][]string{{"ECHO", "a\fb"}}},
		{name: "inline vertical tab between tokens", in: "ECHO \v\fa\r\n", want: [][]string{{"ECHO", "a"}}},
		// Redis finds line ends with strchr, which stops at NUL: a NUL before
		// the CR (count lines) or LF (inline) makes it wait for more input.
		{name: "NUL in a count line waits", in: "*1\r\n\x00\r\n", msg: ""},
		{name: "NUL in a multibulk length waits", in: "*1\x00\r\n", msg: ""},
		{name: "NUL in an inline request waits", in: "PI\x00NG\r\nPING\r\n", msg: ""},
	} {
		for _, chunk := range []int{0, 1} {
			if chunk == 1 && len(tc.in) > 4096 {
				chunk = 4093 // a byte at a time is quadratic in a line's length (as in Redis)
			}
			got, err := readAll([]byte(tc.in), chunk, tc.lim)
			if msg := protoMsg(err); msg != tc.msg {
				t.Errorf("%s (chunk %d): error %q, want %q", tc.name, chunk, msg, tc.msg)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("%s (chunk %d): requests %q, want %q", tc.name, chunk, got, tc.want)
			}
		}
	}
}

func TestReaderQueryBufferLimit(t *testing.T) {
	// An incomplete request longer than client-query-buffer-limit.
	in := "*2\r\n$4\r\nECHO\r\n$1000\r\n" + strings.Repeat("a", 500)
	_, err := readAll([]byte(in), 0, Limits{MaxQueryBuffer: 100})
	if !errors.Is(err, ErrQueryBufferLimit) {
		t.Fatalf("got %v, want ErrQueryBufferLimit", err)
	}
	// Within the limit it just waits.
	if _, err := readAll([]byte(in), 0, Limits{MaxQueryBuffer: 1 << 20}); err != io.EOF {
		t.Fatalf("got %v, want io.EOF", err)
	}
}

// TestReaderArgsAliasing: arguments stay valid until the next ReadBatch
// even while later data arrives into the same Reader.
func TestReaderBatchesAcrossReads(t *testing.T) {
	var in []byte
	for i := 0; i < 2000; i++ {
		in = AppendCommand(in, "SET", fmt.Sprintf("key:%d", i), strings.Repeat("v", i%97))
	}
	for _, chunk := range []int{0, 1, 7, 1000, 16384, 40000} {
		got, err := readAll(in, chunk, Limits{})
		if err != io.EOF || len(got) != 2000 {
			t.Fatalf("chunk %d: %d requests, error %v", chunk, len(got), err)
		}
		for i, args := range got {
			if len(args) != 3 || args[1] != fmt.Sprintf("key:%d", i) || args[2] != strings.Repeat("v", i%97) {
				t.Fatalf("chunk %d: request %d = %q", chunk, i, args)
			}
		}
	}
}

func TestReaderConsumed(t *testing.T) {
	in := []byte("PING\r\n*1\r\n$4\r\nPING\r\n")
	rd := NewReader(bytes.NewReader(in))
	if _, err := rd.ReadBatch(); err != nil {
		t.Fatal(err)
	}
	if n := rd.Consumed(); n != int64(len(in)) {
		t.Fatalf("Consumed = %d, want %d", n, len(in))
	}
	if n := rd.Consumed(); n != 0 {
		t.Fatalf("second Consumed = %d, want 0", n)
	}
	if rd.Buffered() != 0 {
		t.Fatalf("Buffered = %d after a complete batch", rd.Buffered())
	}
}

// ---- the reference model: Redis 7.0's networking.c, over a buffer that
// holds the whole input, written for clarity rather than speed ----

// refParse models processInlineBuffer/processMultibulkBuffer. It returns
// the requests and the protocol error text, "" when Redis would wait for
// more input. Inputs longer than InlineMax may depend on how the bytes
// were split into reads; compare only shorter ones.
func refParse(in []byte, lim Limits) (cmds [][]string, msg string) {
	maxBulk := lim.MaxBulk
	if maxBulk <= 0 {
		maxBulk = defaultMaxBulk
	}
	// strchr on an sds: stops at the first NUL.
	strchr := func(from int, c byte) int {
		for i := from; i < len(in); i++ {
			if in[i] == c {
				return i
			}
			if in[i] == 0 {
				return -1
			}
		}
		return -1
	}
	pos := 0
	for pos < len(in) {
		if in[pos] != '*' {
			nl := strchr(pos, '\n')
			if nl < 0 {
				if len(in)-pos > InlineMax {
					return cmds, "too big inline request"
				}
				return cmds, ""
			}
			end := nl
			if end != pos && in[end-1] == '\r' {
				end--
			}
			args, ok := refSplitArgs(in[pos:end])
			if !ok {
				return cmds, "unbalanced quotes in request"
			}
			pos = nl + 1
			if len(args) > 0 {
				cmds = append(cmds, args)
			}
			continue
		}
		nl := strchr(pos, '\r')
		if nl < 0 {
			if len(in)-pos > InlineMax {
				return cmds, "too big mbulk count string"
			}
			return cmds, ""
		}
		if nl-pos > len(in)-pos-2 {
			return cmds, ""
		}
		n, ok := refString2ll(in[pos+1 : nl])
		if !ok || n > math.MaxInt32 {
			return cmds, "invalid multibulk length"
		}
		if n > 10 && lim.Unauthenticated {
			return cmds, "unauthenticated multibulk length"
		}
		p := nl + 2
		if n <= 0 {
			pos = p
			continue
		}
		var args []string
		for int64(len(args)) < n {
			nl := strchr(p, '\r')
			if nl < 0 {
				if len(in)-p > InlineMax {
					return cmds, "too big bulk count string"
				}
				return cmds, ""
			}
			if nl-p > len(in)-p-2 {
				return cmds, ""
			}
			if in[p] != '$' {
				return cmds, "expected '$', got '" + string(in[p]) + "'"
			}
			bl, ok := refString2ll(in[p+1 : nl])
			if !ok || bl < 0 || bl > maxBulk {
				return cmds, "invalid bulk length"
			}
			if bl > 16384 && lim.Unauthenticated {
				return cmds, "unauthenticated bulk length"
			}
			p = nl + 2
			if int64(len(in)-p) < bl+2 {
				return cmds, ""
			}
			args = append(args, string(in[p:p+int(bl)]))
			p += int(bl) + 2
		}
		cmds = append(cmds, args)
		pos = p
	}
	return cmds, ""
}

// refString2ll is Redis's string2ll (util.c).
func refString2ll(s []byte) (int64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	if len(s) == 1 && s[0] == '0' {
		return 0, true
	}
	p, neg := s, false
	if p[0] == '-' {
		neg = true
		p = p[1:]
		if len(p) == 0 {
			return 0, false
		}
	}
	if p[0] < '1' || p[0] > '9' {
		return 0, false
	}
	v := uint64(p[0] - '0')
	for _, c := range p[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// refSplitArgs is sds.c's sdssplitargs on a C string: a NUL byte ends
// the input.
func refSplitArgs(line []byte) ([]string, bool) {
	at := func(i int) byte {
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	cIsSpace := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
	}
	out := []string{}
	p := 0
	for {
		for at(p) != 0 && cIsSpace(at(p)) {
			p++
		}
		if at(p) == 0 {
			return out, true
		}
		var cur []byte
		inq, insq, done := false, false, false
		for !done {
			c := at(p)
			switch {
			case inq:
				switch {
				case c == '\\' && at(p+1) == 'x' && isHex(at(p+2)) && isHex(at(p+3)):
					cur = append(cur, hexVal(at(p+2))*16+hexVal(at(p+3)))
					p += 3
				case c == '\\' && at(p+1) != 0:
					p++
					e := at(p)
					switch e {
					case 'n':
						e = '\n'
					case 'r':
						e = '\r'
					case 't':
						e = '\t'
					case 'b':
						e = '\b'
					case 'a':
						e = '\a'
					}
					cur = append(cur, e)
				case c == '"':
					if at(p+1) != 0 && !cIsSpace(at(p+1)) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			case insq:
				switch {
				case c == '\\' && at(p+1) == '\'':
					p++
					cur = append(cur, '\'')
				case c == '\'':
					if at(p+1) != 0 && !cIsSpace(at(p+1)) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if at(p) != 0 {
				p++
			}
		}
		out = append(out, string(cur))
	}
}

// wire is how a protocol error reaches the client: Redis's error replies
// turn CR and LF into spaces.
func wire(msg string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(msg) }

func TestReaderMatchesRedisModel(t *testing.T) {
	for _, in := range readerSeeds() {
		checkAgainstModel(t, []byte(in), 0, Limits{})
	}
}

func checkAgainstModel(t *testing.T, in []byte, chunk int, lim Limits) {
	t.Helper()
	if len(in) > InlineMax {
		return
	}
	got, err := readAll(in, chunk, lim)
	wantCmds, wantMsg := refParse(in, lim)
	if wire(protoMsg(err)) != wire(wantMsg) || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", wantCmds) {
		t.Fatalf("input %q (chunk %d, %+v):\n  reader: %q, error %q\n  redis:  %q, error %q",
			in, chunk, lim, got, protoMsg(err), wantCmds, wantMsg)
	}
}

func readerSeeds() []string {
	return []string{
		"", "PING\r\n", "*1\r\n$4\r\nPING\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n",
		"*1\r\n$9223372036854775807\r\n", "*9223372036854775807\r\n", "*-5\r\n", "*-0\r\n", "*1\r\n$-0\r\n",
		"*1\r\nPING\r\n", "*3\r\n$3\r\nSET\r\n", "SET \"a b\r\n", "SET 'a' \"b\\x41\" c\r\n", "ECHO a\vb\r\n",
		"*1\r\n\x00\r\n", "PI\x00NG\r\n", "*0\r\n*-1\r\n\r\n", "*1\r\n$4\r\nPINGxy", "*1\rx$4\r\nPING\r\n",
		"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "*11\r\n", "*1\r\n$16385\r\n", "\"\\x\"\r\n", "'\\'' x\n",
	}
}

// FuzzReader: arbitrary bytes never panic the Reader; it returns requests,
// then a *ProtocolError or io.EOF (input ended while it waited); how the
// input is split into reads does not change the result; the result is
// what Redis 7.0 does; and re-encoding the requests as multibulk and
// parsing them again gives them back unchanged.
func FuzzReader(f *testing.F) {
	for _, s := range readerSeeds() {
		f.Add([]byte(s), uint16(0), uint16(0), false)
		f.Add([]byte(s), uint16(1), uint16(5), true)
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk, maxBulk uint16, unauth bool) {
		lim := Limits{MaxBulk: int64(maxBulk), Unauthenticated: unauth}
		whole, werr := readAll(in, 0, lim)
		var pe *ProtocolError
		if werr != io.EOF && !errors.As(werr, &pe) {
			t.Fatalf("input %q: unexpected error %v", in, werr)
		}
		if chunk > 0 && len(in) <= InlineMax {
			split, serr := readAll(in, int(chunk), lim)
			if fmt.Sprintf("%q", split) != fmt.Sprintf("%q", whole) || protoMsg(serr) != protoMsg(werr) {
				t.Fatalf("input %q: whole %q/%v, in chunks of %d %q/%v", in, whole, werr, chunk, split, serr)
			}
		}
		checkAgainstModel(t, in, 0, lim)

		var again []byte
		for _, args := range whole {
			if len(args) == 0 {
				t.Fatalf("input %q: an empty request was returned", in)
			}
			again = AppendCommand(again, args...)
		}
		back, err := readAll(again, 0, Limits{})
		if err != io.EOF || fmt.Sprintf("%q", back) != fmt.Sprintf("%q", whole) {
			t.Fatalf("input %q: re-encoded %q parsed as %q, %v", in, whole, back, err)
		}
	})
}

// FuzzSplitArgs: SplitArgs never panics, its offsets are in bounds and in
// order, and on lines without NUL (the only ones Redis ever splits: its
// line search stops at NUL) it agrees with sdssplitargs.
func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{"", "a b c", `"a\x41\n" 'b\'c'`, `"unterminated`, `"a"b`, "a\vb", "\v\fa", `'x'y`,
		`"\x4"`, `"\\"`, `a"b c"d`, "\t a \r", `""`, `''`, `"a" 'b'`, `"\`, `'\`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		work := append([]byte(nil), line...)
		offs, ok := SplitArgs(work, nil)
		got := []string{}
		prev := 0
		for _, o := range offs {
			if o[0] < prev || o[1] < o[0] || o[1] > len(work) {
				t.Fatalf("line %q: offsets %v out of order or bounds", line, offs)
			}
			prev = o[1]
			got = append(got, string(work[o[0]:o[1]]))
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return
		}
		want, wantOK := refSplitArgs(line)
		if ok != wantOK || (ok && fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want)) {
			t.Fatalf("line %q: SplitArgs %q ok=%v, sdssplitargs %q ok=%v", line, got, ok, want, wantOK)
		}
	})
}
