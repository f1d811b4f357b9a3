package datatypes

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Expected values were checked against redis-server 7.0.15 with
// "DEL k; INCRBYFLOAT k <input>" (so each input is parsed by string2ld,
// added to 0 and formatted by ld2string), or "SET k a; INCRBYFLOAT k b".
func TestLongDoubleParseAndFormat(t *testing.T) {
	const errFloat, errNaN = "ERR not float", "ERR nan"
	cases := []struct{ in, want string }{
		{"10.5", "10.5"},
		{"0.1", "0.1"},
		{"1", "1"},
		{"3.0e3", "3000"},
		{"-0.0000000000000000001", "0"},
		{"0x10", "16"},
		{"0x1p-2", "0.25"},
		{"0X.8P1", "1"},
		{"0x.1", "0.0625"},
		{"0x1.", "1"},
		{"0X1P+1", "2"},
		{"+1", "1"},
		{".5", "0.5"},
		{"5.", "5"},
		{"1E2", "100"},
		{"1e+5", "100000"},
		{"-0", "0"},
		{"-0x0p0", "0"},
		{"0e-5000", "0"},
		{"00000000000000000000000000001.5", "1.5"},
		{"0.000000000000000000000000000000000000000000000000000000000000000000000000000000001e81", "1"},
		{"1e-18", "0"},
		{"-1e-18", "0"},
		{"9.5e-18", "0.00000000000000001"},
		{"5e-18", "0"},
		{"1.5e-17", "0.00000000000000002"},
		{"0.123456789012345678", "0.12345678901234568"},
		{"0.000003814697265625", "0.00000381469726562"}, // a tie at the 17th decimal: half to even
		{"0.000011444091796875", "0.00001144409179688"},
		{"1.23456789012345678901234567890", "1.23456789012345679"},
		{"3.14159265358979323846", "3.14159265358979324"},
		{"99999999999999999.999", "100000000000000000"},
		{"1e40", "9999999999999999999783686092270256259072"},
		{"1e50", "100000000000000000003583830118858923890798487404544"},
		// Subnormals are accepted (and print as 0); what rounds to zero is not.
		{"1e-4940", "0"},
		{"0x1p-16445", "0"},
		{"0x1.8p-16446", "0"},
		{"0x1.00000000000000000001p-16446", "0"},
		{"1.8225997659412373013e-4951", "0"},
		{"0x1p-16446", errFloat},
		{"1.8225997659412373012e-4951", errFloat},
		{"1e-5000", errFloat},
		// Overflow is rejected by the parser; infinity itself is accepted.
		{"1.18973149535723176508e4932", errFloat},
		{"0x1p16384", errFloat},
		{"0x1.ffffffffffffffffp16383", errFloat},
		{"1e5000", errFloat},
		{"inf", errNaN},
		{"-inf", errNaN},
		{"infinity", errNaN},
		{"INF", errNaN},
		{"nan", errFloat},
		{"NaN", errFloat},
		{"-nan", errFloat},
		{"infin", errFloat},
		{"0x", errFloat},
		{"0x1p", errFloat},
		{".", errFloat},
		{"1e", errFloat},
		{"1e+", errFloat},
		{"1e-", errFloat},
		{"", errFloat},
		{" 1", errFloat},
		{"1 ", errFloat},
		{"\t1", errFloat},
		{"1,5", errFloat},
		{"+-1", errFloat},
		{"-+1", errFloat},
		{"--1", errFloat},
		{"1..2", errFloat},
		{"1.2.3", errFloat},
		{"0x1p1.5", errFloat},
		{"1e1.5", errFloat},
		{"١", errFloat},
	}
	for _, tc := range cases {
		got := errFloat
		if v, ok := ParseLongDouble([]byte(tc.in)); ok {
			if sum, ok := AddLongDouble(LongDoubleFromInt(0), v); ok {
				got = string(AppendLongDoubleHuman(nil, sum))
			} else {
				got = errNaN
			}
		}
		if got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestLongDoubleExtremes(t *testing.T) {
	cases := []struct {
		in, suffix string
		digits     int
	}{
		{"0x1p16383", "223513645334982033408", 4932},
		{"0x1.fffffffffffffffep16383", "419552086811989770240", 4933},
		{"1.18973149535723176502e4932", "419552086811989770240", 4933},
	}
	for _, tc := range cases {
		v, ok := ParseLongDouble([]byte(tc.in))
		if !ok {
			t.Fatalf("%s: rejected", tc.in)
		}
		s := string(AppendLongDoubleHuman(nil, v))
		if len(s) != tc.digits || !strings.HasSuffix(s, tc.suffix) {
			t.Errorf("%s: got %d digits ending %s", tc.in, len(s), s[len(s)-21:])
		}
		if _, ok := AddLongDouble(v, v); ok {
			t.Errorf("%s doubled: no overflow", tc.in)
		}
	}
}

// Sums checked with "SET k a; INCRBYFLOAT k b" in redis-server 7.0.15.
func TestLongDoubleAdd(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"10.5", "0.1", "10.6"}, // float64 would give 10.59999999999999964
		{"0.1", "0.2", "0.3"},
		{"1.5", "-1.5", "0"},
		{"0", "-1.5", "-1.5"},
		{"9223372036854775807", "1", "9223372036854775808"},
		{"-6735804603294904068", "0.34060", "-6735804603294904067.5"},
		{"0x609c010946", "0.0000000000065124", "414934174022"},
		{"-409.53", "-345.5", "-755.03000000000000003"},
		{"27.3107925339669", "-488.1469", "-460.83610746603309999"},
		{"4.671e47", "0.93979", "467100000000000000005934616768844606075561836544"},
		{"1.23456789012345679", "100000000000000000000", "100000000000000000000"},
		{"-1e308", "-1e308", "-199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096"},
	}
	for _, tc := range cases {
		a, ok1 := ParseLongDouble([]byte(tc.a))
		b, ok2 := ParseLongDouble([]byte(tc.b))
		if !ok1 || !ok2 {
			t.Fatalf("%s + %s: not parsed", tc.a, tc.b)
		}
		sum, ok := AddLongDouble(a, b)
		if !ok {
			t.Fatalf("%s + %s: overflow", tc.a, tc.b)
		}
		if got := string(AppendLongDoubleHuman(nil, sum)); got != tc.want {
			t.Errorf("%s + %s: got %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	inf, _ := ParseLongDouble([]byte("inf"))
	ninf, _ := ParseLongDouble([]byte("-inf"))
	one := LongDoubleFromInt(1)
	for _, p := range [][2]*big.Float{{inf, one}, {one, ninf}, {inf, ninf}} {
		if _, ok := AddLongDouble(p[0], p[1]); ok {
			t.Errorf("%v + %v: accepted", p[0], p[1])
		}
	}
}

func TestNewPlainString(t *testing.T) {
	for _, tc := range []struct {
		s   string
		enc Encoding
	}{{"1", EncEmbstr}, {"", EncEmbstr}, {strings.Repeat("9", 44), EncEmbstr}, {strings.Repeat("9", 45), EncRaw}} {
		if o := NewPlainString([]byte(tc.s)); o.Enc != tc.enc || string(o.StringBytes()) != tc.s {
			t.Errorf("%q: %s %q", tc.s, o.Enc.Name(), o.StringBytes())
		}
	}
}

// LCS runs as reported by "LCS a b IDX" in redis-server 7.0.15.
func TestLCSMatches(t *testing.T) {
	cases := []struct {
		a, b, lcs string
		matches   []LCSMatch
	}{
		{"ohmytext", "mynewtext", "mytext", []LCSMatch{{4, 7, 5, 8}, {2, 3, 0, 1}}},
		{"12345", "2345", "2345", []LCSMatch{{1, 4, 0, 3}}},
		{"abcabcabc", "cbacbacba", "cbabc", []LCSMatch{{8, 8, 6, 6}, {7, 7, 4, 4}, {6, 6, 2, 2}, {4, 4, 1, 1}, {2, 2, 0, 0}}},
		{"", "abc", "", nil},
		{"abc", "", "", nil},
		{"abc", "xyz", "", nil},
	}
	for _, tc := range cases {
		lcs, matches := LCS([]byte(tc.a), []byte(tc.b))
		if string(lcs) != tc.lcs {
			t.Errorf("LCS(%q, %q) = %q, want %q", tc.a, tc.b, lcs, tc.lcs)
		}
		if len(matches) != len(tc.matches) {
			t.Errorf("LCS(%q, %q) matches %v, want %v", tc.a, tc.b, matches, tc.matches)
			continue
		}
		for i := range matches {
			if matches[i] != tc.matches[i] {
				t.Errorf("LCS(%q, %q) matches %v, want %v", tc.a, tc.b, matches, tc.matches)
				break
			}
		}
		if n := LCSLen([]byte(tc.a), []byte(tc.b)); n != len(tc.lcs) {
			t.Errorf("LCSLen(%q, %q) = %d", tc.a, tc.b, n)
		}
	}
}

// TestLCSRandom checks invariants on random strings over small alphabets:
// the subsequence is common to both, as long as LCSLen says, and the runs
// cover it, each run matching in both strings.
func TestLCSRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	gen := func() []byte {
		b := make([]byte, rng.IntN(40))
		alpha := 1 + rng.IntN(4)
		for i := range b {
			b[i] = byte('a' + rng.IntN(alpha))
		}
		return b
	}
	isSubseq := func(sub, s []byte) bool {
		i := 0
		for _, c := range s {
			if i < len(sub) && sub[i] == c {
				i++
			}
		}
		return i == len(sub)
	}
	for n := 0; n < 2000; n++ {
		a, b := gen(), gen()
		lcs, matches := LCS(a, b)
		if !isSubseq(lcs, a) || !isSubseq(lcs, b) || len(lcs) != LCSLen(a, b) {
			t.Fatalf("LCS(%q, %q) = %q, LCSLen %d", a, b, lcs, LCSLen(a, b))
		}
		var joined []byte
		for i := len(matches) - 1; i >= 0; i-- {
			m := matches[i]
			if !bytes.Equal(a[m.AStart:m.AEnd+1], b[m.BStart:m.BEnd+1]) || m.AEnd-m.AStart != m.BEnd-m.BStart {
				t.Fatalf("LCS(%q, %q): bad run %v", a, b, m)
			}
			joined = append(joined, a[m.AStart:m.AEnd+1]...)
		}
		if !bytes.Equal(joined, lcs) {
			t.Fatalf("LCS(%q, %q): runs %v spell %q, not %q", a, b, matches, joined, lcs)
		}
	}
}

func BenchmarkIncrbyfloatSmall(b *testing.B) {
	for i := 0; i < b.N; i++ {
		x, _ := ParseLongDouble([]byte("10.5"))
		y, _ := ParseLongDouble([]byte("0.1"))
		s, _ := AddLongDouble(x, y)
		AppendLongDoubleHuman(nil, s)
	}
}

// FuzzParseLongDouble: any input parses or not without panicking, and what
// INCRBYFLOAT would store parses again (Redis reparses it next time).
func FuzzParseLongDouble(f *testing.F) {
	for _, s := range []string{"10.5", "0x1.8p3", "inf", "nan", "1e-4940", "1e4932", "-0", ".5e-3", "0x", "1e99999999999999999999"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v, ok := ParseLongDouble(in)
		if !ok {
			return
		}
		sum, ok := AddLongDouble(LongDoubleFromInt(0), v)
		if !ok {
			if !v.IsInf() {
				t.Fatalf("%q: finite value overflowed when added to 0", in)
			}
			return
		}
		out := AppendLongDoubleHuman(nil, sum)
		if _, ok := ParseLongDouble(out); !ok {
			t.Fatalf("%q formatted as %q, which does not parse", in, out)
		}
	})
}
