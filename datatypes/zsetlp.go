// The listpack encoding of small sorted sets (Redis's zzl* functions of
// src/t_zset.c): a Listpack of member, score, member, score, ... sorted by
// (score, member). A score is written with d2string (an integral score in
// (-2^52, 2^52) as its decimal integer, others as "%.17g", "inf", "-inf",
// "0" for -0 as redis-server 7.0 ends up storing), and the listpack then stores integral strings as integers, so the
// bytes equal redis-server's.
package datatypes

import (
	"math"
	"strconv"
)

// ZEntry is one element of a sorted set.
type ZEntry struct {
	Member string
	Score  float64
}

// D2String appends d as Redis 7.0's d2string formats it.
func D2String(b []byte, d float64) []byte {
	switch {
	case math.IsNaN(d):
		return append(b, "nan"...)
	case math.IsInf(d, 1):
		return append(b, "inf"...)
	case math.IsInf(d, -1):
		return append(b, "-inf"...)
	case d == 0:
		// redis-server 7.0 stores -0 in a listpack as 0 (ZSCORE replies
		// "0" there, "-0" in a skiplist).
		return append(b, '0')
	case d > -4503599627370495 && d < 4503599627370496 && d == math.Trunc(d):
		return strconv.AppendInt(b, int64(d), 10)
	}
	return appendG17(b, d)
}

// appendG17 is C's "%.17g" for a finite, non-zero d.
func appendG17(b []byte, d float64) []byte {
	s := strconv.FormatFloat(d, 'e', 16, 64)
	// s is [-]D.DDDDDDDDDDDDDDDDe±XX
	mant, exp := s, 0
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == 'e' {
			mant = s[:i]
			exp, _ = strconv.Atoi(s[i+1:])
			break
		}
	}
	if exp < -4 || exp >= 17 {
		m := trimZeros(mant)
		b = append(b, m...)
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
	return append(b, trimZeros(strconv.FormatFloat(d, 'f', 16-exp, 64))...)
}

func trimZeros(s string) string {
	dot := false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dot = true
		}
	}
	if !dot {
		return s
	}
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// ZzlEntries decodes a sorted set listpack into its elements, in order.
func ZzlEntries(lp Listpack) []ZEntry {
	out := make([]ZEntry, 0, lp.Len()/2)
	var buf [32]byte
	for p := lp.First(); p >= 0; {
		m := string(lp.GetBytes(p, buf[:0]))
		sp := lp.Next(p)
		out = append(out, ZEntry{m, zzlScore(lp, sp)})
		p = lp.Next(sp)
	}
	return out
}

// zzlScore is zzlGetScore: an integer element, or a string read by strtod.
func zzlScore(lp Listpack, p int) float64 {
	s, v, isInt := lp.Get(p)
	if isInt {
		return float64(v)
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0
		}
	}
	return f
}

// ZzlBuild encodes sorted elements as a sorted set listpack.
func ZzlBuild(es []ZEntry) *Listpack {
	lp := NewListpack()
	var buf [32]byte
	for _, e := range es {
		lp.Append([]byte(e.Member))
		lp.Append(D2String(buf[:0], e.Score))
	}
	return &lp
}

// Dup returns a deep copy of the sorted set (COPY).
func (z *ZSet) Dup() any {
	c := &ZSet{dict: NewDict[float64](z.dict.seed), zsl: NewSkiplist(z.zsl.rng)}
	for x := z.zsl.Last(); x != nil; x = x.Prev() {
		c.zsl.Insert(x.score, x.member)
		c.dict.Set(x.member, x.score)
	}
	return c
}
