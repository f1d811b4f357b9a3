// The listpack encoding of small sorted sets (Redis's zzl* functions of
// src/t_zset.c): a Listpack of member, score, member, score, ... sorted by
// (score, member). A score is written with d2string (an integral score in
// (-2^52, 2^52) as its decimal integer, others as "%.17g", "inf", "-inf",
// "0" for -0 as redis-server 7.0 ends up storing), and the listpack then stores integral strings as integers, so the
// bytes equal redis-server's.
package datatypes

import (
	"bytes"
	"math"
	"strconv"
	"unsafe"
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
	// The string does not outlive the call (the error is dropped), so it
	// may alias the listpack: ZADD and ZSCORE read scores without allocating.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(s), len(s)), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0
		}
	}
	return f
}

// ZzlBuild encodes sorted elements as a sorted set listpack.
func ZzlBuild(es []ZEntry) *Listpack {
	var buf [32]byte
	n := lpHdrSize + 1
	for _, e := range es {
		n += lpEntrySize(zzlBytes(e.Member)) + lpEntrySize(D2String(buf[:0], e.Score))
	}
	lp := NewListpackCap(n)
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

// zzlBytes views a member string as bytes for the listpack calls, which
// only read it (and copy it in).
func zzlBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// ZzlFind is zzlFind: the position of member in a sorted set listpack and
// its score, or -1 when absent. Nothing is allocated.
func ZzlFind(lp Listpack, member string) (int, float64) {
	p := lp.First()
	if p < 0 {
		return -1, 0
	}
	if p = lp.Find(p, zzlBytes(member), 1); p < 0 {
		return -1, 0
	}
	return p, zzlScore(lp, lp.Next(p))
}

// ZzlDelete is zzlDelete: remove the member at p (from ZzlFind) and its
// score, in place.
func (lp *Listpack) ZzlDelete(p int) {
	p = lp.Delete(p)
	lp.Delete(p)
}

// ZzlInsert is zzlInsert: put member with score where (score, member)
// order puts it, in place. The member must not be in the listpack already.
func (lp *Listpack) ZzlInsert(member string, score float64) {
	var sbuf, mbuf [32]byte
	m := zzlBytes(member)
	sc := D2String(sbuf[:0], score)
	b := *lp
	for p := b.First(); p >= 0; {
		sp := b.Next(p)
		s := zzlScore(b, sp)
		if s > score || (s == score && bytes.Compare(b.GetBytes(p, mbuf[:0]), m) > 0) {
			p = lp.Insert(p, m, ListpackBefore)
			lp.Insert(p, sc, ListpackAfter)
			return
		}
		p = b.Next(sp)
	}
	lp.Append(m)
	lp.Append(sc)
}
