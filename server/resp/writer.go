package resp

import (
	"math"
	"strconv"
)

// Append-style reply writers. Each takes the protocol version negotiated
// with HELLO (2 or 3) where RESP2 and RESP3 differ, and returns the extended
// buffer, as tidwall/redcon's AppendBulk does: no allocation beyond growth.

// AppendSimple appends a simple string (+OK).
func AppendSimple(b []byte, s string) []byte {
	b = append(b, '+')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendError appends an error reply. Newlines are replaced by spaces, as
// Redis does, since they would break the protocol.
func AppendError(b []byte, s string) []byte {
	b = append(b, '-')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return append(b, '\r', '\n')
}

// AppendInt appends an integer reply.
func AppendInt(b []byte, n int64) []byte {
	b = append(b, ':')
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

func appendHeader(b []byte, t byte, n int64) []byte {
	b = append(b, t)
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendBulk appends a bulk string.
func AppendBulk(b []byte, p []byte) []byte {
	b = appendHeader(b, '$', int64(len(p)))
	b = append(b, p...)
	return append(b, '\r', '\n')
}

// AppendBulkString appends a bulk string.
func AppendBulkString(b []byte, s string) []byte {
	b = appendHeader(b, '$', int64(len(s)))
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendBulkInt appends n formatted as a bulk string.
func AppendBulkInt(b []byte, n int64) []byte {
	var tmp [20]byte
	return AppendBulk(b, strconv.AppendInt(tmp[:0], n, 10))
}

// AppendNull appends the null reply: $-1 in RESP2 (a null bulk), _ in RESP3.
func AppendNull(b []byte, proto int) []byte {
	if proto >= 3 {
		return append(b, '_', '\r', '\n')
	}
	return append(b, '$', '-', '1', '\r', '\n')
}

// AppendNullArray appends the null array: *-1 in RESP2, _ in RESP3.
func AppendNullArray(b []byte, proto int) []byte {
	if proto >= 3 {
		return append(b, '_', '\r', '\n')
	}
	return append(b, '*', '-', '1', '\r', '\n')
}

// AppendArray appends an array header of n elements.
func AppendArray(b []byte, n int) []byte { return appendHeader(b, '*', int64(n)) }

// AppendMap appends a map header of n key/value pairs (an array of 2n in RESP2).
func AppendMap(b []byte, proto int, n int) []byte {
	if proto >= 3 {
		return appendHeader(b, '%', int64(n))
	}
	return appendHeader(b, '*', int64(2*n))
}

// AppendSet appends a set header (an array in RESP2).
func AppendSet(b []byte, proto int, n int) []byte {
	if proto >= 3 {
		return appendHeader(b, '~', int64(n))
	}
	return appendHeader(b, '*', int64(n))
}

// AppendPush appends a push header (an array in RESP2).
func AppendPush(b []byte, proto int, n int) []byte {
	if proto >= 3 {
		return appendHeader(b, '>', int64(n))
	}
	return appendHeader(b, '*', int64(n))
}

// AppendBool appends a boolean (:1/:0 in RESP2).
func AppendBool(b []byte, proto int, v bool) []byte {
	if proto >= 3 {
		if v {
			return append(b, '#', 't', '\r', '\n')
		}
		return append(b, '#', 'f', '\r', '\n')
	}
	if v {
		return append(b, ':', '1', '\r', '\n')
	}
	return append(b, ':', '0', '\r', '\n')
}

// AppendDouble appends a double as Redis 7.0's addReplyDouble does: "%.17g"
// (inf and -inf spelled so), a bulk string in RESP2 and a ',' double in RESP3.
func AppendDouble(b []byte, proto int, d float64) []byte {
	var tmp [32]byte
	s := FormatDouble(tmp[:0], d)
	if proto >= 3 {
		b = append(b, ',')
		b = append(b, s...)
		return append(b, '\r', '\n')
	}
	return AppendBulk(b, s)
}

// FormatDouble formats d as C's printf("%.17g") does, with inf, -inf and nan.
func FormatDouble(b []byte, d float64) []byte {
	switch {
	case math.IsInf(d, 1):
		return append(b, "inf"...)
	case math.IsInf(d, -1):
		return append(b, "-inf"...)
	case math.IsNaN(d):
		return append(b, "nan"...)
	}
	return AppendG17(b, d)
}

// AppendG17 formats d like C's "%.17g": 17 significant digits, trailing
// zeros removed, exponent form when exp < -4 or exp >= 17, with at least
// two exponent digits.
func AppendG17(b []byte, d float64) []byte {
	if d == 0 {
		if math.Signbit(d) {
			return append(b, "-0"...)
		}
		return append(b, '0')
	}
	var tmp [40]byte
	e := strconv.AppendFloat(tmp[:0], d, 'e', 16, 64) // d.dddddddddddddddde±XX
	mant, exp := e, 0
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == 'e' {
			mant = e[:i]
			x, _ := strconv.Atoi(string(e[i+1:]))
			exp = x
			break
		}
	}
	neg := mant[0] == '-'
	if neg {
		mant = mant[1:]
	}
	digits := make([]byte, 0, 17)
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if neg {
		b = append(b, '-')
	}
	if exp < -4 || exp >= 17 {
		b = append(b, digits[0])
		if len(digits) > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	}
	if exp < 0 {
		b = append(b, '0', '.')
		for i := 0; i < -exp-1; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	if len(digits) <= exp+1 {
		b = append(b, digits...)
		for i := len(digits); i <= exp; i++ {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, digits[:exp+1]...)
	b = append(b, '.')
	return append(b, digits[exp+1:]...)
}

// AppendVerbatim appends a verbatim string of format fmt ("txt"): a bulk
// string in RESP2.
func AppendVerbatim(b []byte, proto int, format string, s []byte) []byte {
	if proto >= 3 {
		b = appendHeader(b, '=', int64(len(s)+4))
		b = append(b, format...)
		b = append(b, ':')
		b = append(b, s...)
		return append(b, '\r', '\n')
	}
	return AppendBulk(b, s)
}

// AppendBigNumber appends a big number ('(' in RESP3, a bulk string in RESP2).
func AppendBigNumber(b []byte, proto int, s string) []byte {
	if proto >= 3 {
		b = append(b, '(')
		b = append(b, s...)
		return append(b, '\r', '\n')
	}
	return AppendBulkString(b, s)
}
