package resp

import (
	"bufio"
	"errors"
	"strconv"
)

// ReadReply reads one complete reply (of any RESP2/RESP3 type, nested
// aggregates included) and returns its raw bytes. Clients and tests use it;
// the server never reads replies.
func ReadReply(r *bufio.Reader) ([]byte, error) {
	return readReply(r, nil)
}

func readReply(r *bufio.Reader, dst []byte) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return dst, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return dst, errors.New("resp: malformed reply line")
	}
	dst = append(dst, line...)
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return dst, nil
	case '$', '=', '!':
		n, err := strconv.Atoi(string(body))
		if err != nil {
			return dst, err
		}
		if n < 0 {
			return dst, nil
		}
		buf := make([]byte, n+2)
		if _, err := ioReadFull(r, buf); err != nil {
			return dst, err
		}
		return append(dst, buf...), nil
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(string(body))
		if err != nil {
			return dst, err
		}
		if line[0] == '%' || line[0] == '|' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			if dst, err = readReply(r, dst); err != nil {
				return dst, err
			}
		}
		if line[0] == '|' { // an attribute precedes the real reply
			return readReply(r, dst)
		}
		return dst, nil
	}
	return dst, errors.New("resp: unknown reply type " + strconv.Quote(string(line[:1])))
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

// AppendCommand appends args as a multibulk request.
func AppendCommand(b []byte, args ...string) []byte {
	b = AppendArray(b, len(args))
	for _, a := range args {
		b = AppendBulkString(b, a)
	}
	return b
}
