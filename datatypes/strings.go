package datatypes

import (
	"math/big"
)

// String helpers behind the string commands that need no server state:
// Redis's long double arithmetic for INCRBYFLOAT and the LCS table.

// NewPlainString makes a string object with the encoding Redis's
// createStringObject chooses: embstr up to 44 bytes (b copied), raw above
// (owning b), never int (INCRBYFLOAT stores "3" as embstr, not as an
// integer).
func NewPlainString(b []byte) *Object {
	if len(b) <= EmbstrMax {
		return newEmbstr(b)
	}
	return NewRawString(b)
}

// --- long double -----------------------------------------------------------
//
// Redis computes INCRBYFLOAT in C's long double, which on x86-64 is the x87
// 80-bit extended format: a 64-bit significand, exponents down to 2^-16382
// for normal values and subnormals down to 2^-16445, overflow at 2^16384.
// The results users see depend on that precision ("10.5" + "0.1" prints
// as 10.6, which float64 would print as 10.59999999999999964), so the values
// here are big.Floats of precision 64 rounded to nearest-even, with the
// exponent range and subnormals of the x87 format applied by hand.

const (
	ldPrec     = 64
	ldMaxExp   = 16384  // largest MantExp exponent of a finite value
	ldMinExp   = -16381 // smallest MantExp exponent of a normal value (2^-16382)
	ldSubExp   = -16445 // the smallest subnormal is 2^-16445
	ldMaxChars = 5 * 1024
)

// ParseLongDouble parses b as Redis's string2ld does with glibc's strtold:
// the whole input must be a number, without leading white space; decimal
// and hexadecimal (0x1.8p3) forms, "inf" and "infinity" in any case are
// accepted; NaN, overflow and underflow to zero are rejected; subnormal
// results are accepted. Infinities are returned as big.Float infinities.
func ParseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= ldMaxChars || isCSpace(b[0]) {
		return nil, false
	}
	neg := false
	p := b
	if p[0] == '+' || p[0] == '-' {
		neg = p[0] == '-'
		p = p[1:]
	}
	if equalFoldASCII(p, "inf") || equalFoldASCII(p, "infinity") {
		return new(big.Float).SetInf(neg), true
	}
	if len(p) >= 2 && p[0] == '0' && p[1]|0x20 == 'x' {
		return parseHexLD(p[2:], neg)
	}
	return parseDecLD(p, neg)
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// scanMantissa reads digits of the given base with at most one '.', and
// returns the digits (without the point), how many followed the point and
// the rest of the input. ok is false when there is no digit at all.
func scanMantissa(p []byte, hex bool) (digits []byte, frac int, rest []byte, ok bool) {
	seenPoint := false
	i := 0
	for ; i < len(p); i++ {
		c := p[i]
		if c == '.' && !seenPoint {
			seenPoint = true
			continue
		}
		if !isDigit(c, hex) {
			break
		}
		digits = append(digits, c)
		if seenPoint {
			frac++
		}
	}
	return digits, frac, p[i:], len(digits) > 0
}

func isDigit(c byte, hex bool) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	c |= 0x20
	return hex && c >= 'a' && c <= 'f'
}

// scanExponent parses the exponent after 'e' or 'p' ([+-]digits, to the
// end of the input), saturating far beyond any representable range.
func scanExponent(p []byte) (int64, bool) {
	neg := false
	if len(p) > 0 && (p[0] == '+' || p[0] == '-') {
		neg = p[0] == '-'
		p = p[1:]
	}
	if len(p) == 0 {
		return 0, false
	}
	var e int64
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, false
		}
		if e < 1<<40 {
			e = e*10 + int64(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

func parseDecLD(p []byte, neg bool) (*big.Float, bool) {
	digits, frac, rest, ok := scanMantissa(p, false)
	if !ok {
		return nil, false
	}
	var exp int64
	if len(rest) > 0 {
		if rest[0]|0x20 != 'e' {
			return nil, false
		}
		if exp, ok = scanExponent(rest[1:]); !ok {
			return nil, false
		}
	}
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return signedZero(neg), true
	}
	e10 := exp - int64(frac)
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		e10++
	}
	// The value lies in [10^(n-1+e10), 10^(n+e10)): decide the hopeless
	// cases before building huge powers of ten.
	n := int64(len(digits))
	if n-1+e10 > 4933 { // above 1.19e4932, the largest long double
		return nil, false
	}
	if n+e10 < -4952 { // below half the smallest subnormal (3.6e-4951)
		return nil, false
	}
	num, _ := new(big.Int).SetString(string(digits), 10)
	den := big.NewInt(1)
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(e10)), nil)
	if e10 >= 0 {
		num.Mul(num, pow)
	} else {
		den = pow
	}
	return roundLD(num, den, neg)
}

func parseHexLD(p []byte, neg bool) (*big.Float, bool) {
	digits, frac, rest, ok := scanMantissa(p, true)
	if !ok {
		return nil, false
	}
	var exp int64
	if len(rest) > 0 {
		if rest[0]|0x20 != 'p' {
			return nil, false
		}
		if exp, ok = scanExponent(rest[1:]); !ok {
			return nil, false
		}
	}
	m, _ := new(big.Int).SetString(string(digits), 16)
	if m.Sign() == 0 {
		return signedZero(neg), true
	}
	e2 := exp - 4*int64(frac)
	top := int64(m.BitLen()) + e2 // MantExp exponent of the value
	if top > ldMaxExp {
		return nil, false
	}
	if top < ldSubExp-1 {
		return nil, false
	}
	den := big.NewInt(1)
	if e2 >= 0 {
		m.Lsh(m, uint(e2))
	} else {
		den.Lsh(den, uint(-e2))
	}
	return roundLD(m, den, neg)
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func signedZero(neg bool) *big.Float {
	z := new(big.Float).SetPrec(ldPrec)
	if neg {
		z.Neg(z)
	}
	return z
}

// roundLD rounds the positive exact value num/den to the x87 extended
// format, nearest-even, with subnormals; ok is false on overflow or when
// the value rounds to zero (strtold's ERANGE cases, which string2ld
// rejects).
func roundLD(num, den *big.Int, neg bool) (*big.Float, bool) {
	n := new(big.Float).SetInt(num) // exact: precision follows the value
	d := new(big.Float).SetInt(den)
	// The binary exponent of num/den is est or est+1; far from both ends
	// of the range a 64-bit quotient is the answer.
	est := num.BitLen() - den.BitLen()
	if est > ldMinExp && est < ldMaxExp {
		f := new(big.Float).SetPrec(ldPrec).Quo(n, d)
		if f.MantExp(nil) > ldMaxExp {
			return nil, false
		}
		if neg {
			f.Neg(f)
		}
		return f, true
	}
	// Truncation never changes the binary exponent, so this gives the
	// exponent of num/den itself.
	e := new(big.Float).SetPrec(ldPrec).SetMode(big.ToZero).Quo(n, d).MantExp(nil)
	if e > ldMaxExp {
		return nil, false
	}
	prec := ldPrec
	if e < ldMinExp {
		prec = e - ldSubExp // bits between the leading one and 2^-16445
	}
	var f *big.Float
	switch {
	case prec > 0:
		f = new(big.Float).SetPrec(uint(prec)).Quo(n, d)
	case prec == 0:
		// num/den is in [2^-16446, 2^-16445): above the midpoint it rounds
		// up to the smallest subnormal, at or below it to zero (even).
		if new(big.Int).Lsh(num, -(ldSubExp-1)).Cmp(den) <= 0 {
			return nil, false
		}
		f = new(big.Float).SetMantExp(big.NewFloat(0.5), ldSubExp+1)
	default:
		return nil, false
	}
	if f.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	f.SetPrec(ldPrec)
	if neg {
		f.Neg(f)
	}
	return f, true
}

// LongDoubleFromInt converts an integer exactly (a 64-bit significand
// holds every int64).
func LongDoubleFromInt(n int64) *big.Float {
	return new(big.Float).SetPrec(ldPrec).SetInt64(n)
}

// AddLongDouble is a + b in long double arithmetic. ok is false when the
// result is NaN or infinite (either operand infinite, or overflow).
func AddLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	// The exact sum of two values on the subnormal grid is on that grid,
	// so rounding to 64 bits is all the x87 unit would do.
	z := new(big.Float).SetPrec(ldPrec).Add(a, b)
	if z.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return z, true
}

// AppendLongDoubleHuman formats x as Redis's ld2string in LD_STR_HUMAN
// mode: printf("%.17Lf") (glibc rounds the exact binary value half to
// even), then trailing zeros and a trailing point removed, and "-0" as "0".
func AppendLongDoubleHuman(dst []byte, x *big.Float) []byte {
	if x.IsInf() {
		if x.Sign() < 0 {
			return append(dst, "-inf"...)
		}
		return append(dst, "inf"...)
	}
	// Below 2^-60 the 17 decimals are all zero (and "-0" prints "0"):
	// skip the exact expansion, which is slow for tiny exponents.
	if x.MantExp(nil) < -59 {
		return append(dst, '0')
	}
	start := len(dst)
	dst = x.Append(dst, 'f', 17)
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// --- LCS ----------------------------------------------------------------

// LCSMatch is one run of a longest common subsequence: a[AStart..AEnd]
// equals b[BStart..BEnd], bounds included.
type LCSMatch struct {
	AStart, AEnd, BStart, BEnd int
}

// Len is the length of the run.
func (m LCSMatch) Len() int { return m.AEnd - m.AStart + 1 }

// LCSLen is the length of the longest common subsequence of a and b. It
// keeps two rows of the dynamic-programming table instead of all of it.
func LCSLen(a, b []byte) int {
	prev := make([]uint32, len(b)+1)
	cur := make([]uint32, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] > cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}

// LCS returns a longest common subsequence of a and b and its runs, in the
// order Redis's LCS IDX reports them: walking the table back from the ends
// of both strings, so the last run comes first. Among equal-length
// subsequences it picks the one Redis picks. The table has
// (len(a)+1)*(len(b)+1) cells of 4 bytes: callers bound that first.
func LCS(a, b []byte) ([]byte, []LCSMatch) {
	alen, blen := len(a), len(b)
	w := blen + 1
	t := make([]uint32, (alen+1)*w)
	for i := 1; i <= alen; i++ {
		row, up := t[i*w:(i+1)*w], t[(i-1)*w:i*w]
		for j := 1; j <= blen; j++ {
			switch {
			case a[i-1] == b[j-1]:
				row[j] = up[j-1] + 1
			case up[j] > row[j-1]:
				row[j] = up[j]
			default:
				row[j] = row[j-1]
			}
		}
	}
	idx := int(t[alen*w+blen])
	out := make([]byte, idx)
	var matches []LCSMatch
	// alen as the start of the current run means "no run open".
	cur := LCSMatch{AStart: alen}
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			out[idx-1] = a[i-1]
			if cur.AStart == alen {
				cur = LCSMatch{i - 1, i - 1, j - 1, j - 1}
			} else if cur.AStart == i && cur.BStart == j {
				cur.AStart--
				cur.BStart--
			} else {
				emit = true
			}
			if cur.AStart == 0 || cur.BStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if t[(i-1)*w+j] > t[i*w+j-1] {
				i--
			} else {
				j--
			}
			if cur.AStart != alen {
				emit = true
			}
		}
		if emit {
			matches = append(matches, cur)
			cur.AStart = alen
		}
	}
	return out, matches
}
