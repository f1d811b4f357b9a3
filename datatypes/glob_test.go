package datatypes

import (
	"bytes"
	"strings"
	"testing"
)

// Expected values agree with Redis's stringmatchlen compiled with gcc on
// x86-64 glibc (signed char), the platform redis-server ships on.
var globCases = []struct {
	pattern, str string
	nocase       bool
	want         bool
}{
	// Basics.
	{"", "", false, true},
	{"", "a", false, false},
	{"a", "", false, false},
	{"abc", "abc", false, true},
	{"abc", "abcd", false, false},
	{"abcd", "abc", false, false},
	{"a\x00b", "a\x00b", false, true},
	{"a\x00b", "a\x00c", false, false},

	// '*': any run, but an empty string never matches (callers special-case
	// a bare "*").
	{"*", "", false, false},
	{"**", "", false, false},
	{"*", "anything", false, true},
	{"*", "*", false, true},
	{"a*", "a", false, true},
	{"a**", "a", false, true},
	{"a***", "a", false, true},
	{"*b", "ab", false, true},
	{"*b", "abc", false, false},
	{"a*b", "ab", false, true},
	{"a*b*c", "abbbbbc", false, true},
	{"a*b*c", "acb", false, false},
	{"*world*", "hello world again", false, true},
	{"h*o", "hello", false, true},
	{"h*llo", "hllo", false, true},
	{"h*llo", "heeeello", false, true},
	{"a*?", "a", false, false},
	{"*?", "", false, false},

	// '?': exactly one byte.
	{"?", "", false, false},
	{"?", "x", false, true},
	{"?", "xy", false, false},
	{"h?llo", "hello", false, true},
	{"h?llo", "hllo", false, false},
	{"h?llo", "heello", false, false},

	// Classes.
	{"h[ae]llo", "hello", false, true},
	{"h[ae]llo", "hallo", false, true},
	{"h[ae]llo", "hillo", false, false},
	{"h[^e]llo", "hallo", false, true},
	{"h[^e]llo", "hello", false, false},
	{"h[a-b]llo", "hbllo", false, true},
	{"h[a-b]llo", "hcllo", false, false},
	{"[z-a]", "m", false, true}, // reversed range
	{"[z-a]", "A", false, false},
	{"[a-z]", "M", false, false},
	{"[a-z]", "M", true, true},
	{"[A-Z]", "m", true, true},
	{"[a-z0-9]", "5", false, true},
	{"[a-]", "-", false, false}, // "a-]" is the range ]..a, and the class is unterminated
	{"[a-]", "_", false, true},
	{"[a-]", "b", false, false},
	{"[a-]x", "_", false, true},  // ... so the x is still inside the class
	{"[ab-]", "-", false, false}, // "b-]" is a range as well
	{"[ab-", "-", false, true},   // a final "b-" is two literals
	{"[-a]", "-", false, true},
	{"[\\]]", "]", false, true},    // escaped ']' inside a class
	{"[\\-]", "-", false, true},    // escaped '-'
	{"[a\\-z]", "b", false, false}, // escaped '-' is not a range
	{"[]]", "]", false, false},     // "[]" is an empty class, then ']' literal
	{"[]]", "]]", false, false},
	{"[]a]", "]", false, false},
	{"[^]", "x", false, true},   // negated empty class
	{"[\\A]", "a", true, false}, // an escape inside a class ignores nocase
	{"[A]", "a", true, true},

	// Unterminated classes run to the end of the pattern.
	{"[", "a", false, false},
	{"[", "[", false, false},
	{"[^", "a", false, true},
	{"[abc", "b", false, true},
	{"[abc", "bx", false, false},
	{"[a-", "-", false, true},
	{"[\\", "\\", false, true},
	{"x[", "x", false, false},

	// Escapes.
	{"\\*", "*", false, true},
	{"\\*", "a", false, false},
	{"\\?", "?", false, true},
	{"\\?", "x", false, false},
	{"\\[a]", "[a]", false, true},
	{"\\\\", "\\", false, true},
	{"a\\", "a\\", false, true}, // a trailing '\' is literal
	{"\\a", "a", false, true},

	// Case folding is ASCII only.
	{"HELLO", "hello", true, true},
	{"HELLO", "hello", false, false},
	{"H[A-Z]LLO", "hello", true, true},
	{"\xc3\x89", "\xc3\xa9", true, false},

	// Range bounds are C signed chars: 0x80..0xff sort below 0x00.
	{"[a-\xff]", "b", false, false},
	{"[a-\xff]", "A", false, true},
	{"[a-\xff]", "\xff", false, true},
	{"[\x00-\xff]", "a", false, false},
	{"[\x80-\xff]", "\x90", false, true},
	{"[\x80-\x90]", "\x85", true, true},
	{"[\xfe-\xff]", "\xfe", false, true},
	{"[\xfe-\xff]", "\xfe", true, false}, // tolower(-2) is 254, tolower(-1) stays -1

	// Redis test suite: keyspace.tcl "KEYS with pattern".
	{"foo*", "foo_a", false, true},
	{"foo*", "key_x", false, false},
	{"key_?", "key_x", false, true},
	// pubsub.tcl patterns.
	{"foo.*", "foo.bar", false, true},
	{"foo.*", "foo", false, false},
	{"__keyspace@*__:*", "__keyspace@9__:foo", false, true},
}

func TestGlobMatch(t *testing.T) {
	for _, c := range globCases {
		if got := GlobMatch([]byte(c.pattern), []byte(c.str), c.nocase); got != c.want {
			t.Errorf("GlobMatch(%q, %q, nocase=%v) = %v, want %v", c.pattern, c.str, c.nocase, got, c.want)
		}
	}
}

// keyspace.tcl "Regression for pattern matching long nested loops" and
// "... very long nested loops": these must fail fast instead of
// backtracking exponentially or recursing 50000 deep.
func TestGlobAbusivePatterns(t *testing.T) {
	if GlobMatch([]byte("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"), bytes.Repeat([]byte("a"), 40), false) {
		t.Error("nested stars matched")
	}
	if GlobMatch([]byte(strings.Repeat("*?", 50000)), bytes.Repeat([]byte("a"), 50000), false) {
		t.Error("50000 nested stars matched")
	}
	// Without skipLongerMatches this is far beyond any test timeout.
	if GlobMatch([]byte(strings.Repeat("*a", 200)+"b"), bytes.Repeat([]byte("a"), 10000), false) {
		t.Error("200 stars matched")
	}
}

// Recursion is capped at 1000 nested stars; up to that depth a match is
// still found.
func TestGlobNestingLimit(t *testing.T) {
	for _, c := range []struct {
		stars int
		want  bool
	}{{999, true}, {1000, true}, {1001, false}} {
		pat := []byte(strings.Repeat("*a", c.stars))
		str := bytes.Repeat([]byte("a"), c.stars)
		if got := GlobMatch(pat, str, false); got != c.want {
			t.Errorf("%d nested stars: %v, want %v", c.stars, got, c.want)
		}
	}
}

func TestGlobEscapedMatchesItself(t *testing.T) {
	for _, s := range []string{"a", "*", "?", "[", "]", "\\", "[a-z]*?\\", "\x00\xff", "^-"} {
		if !GlobMatch(globEscape([]byte(s)), []byte(s), false) {
			t.Errorf("escaped %q does not match itself", s)
		}
	}
}

// globEscape backslash-escapes every byte special to GlobMatch.
func globEscape(s []byte) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, c := range s {
		if globIsSpecial(c) {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return out
}

func globIsSpecial(c byte) bool { return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' }

func globEqualFoldASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if asciiLower(a[i]) != asciiLower(b[i]) {
			return false
		}
	}
	return true
}

// FuzzGlobMatch: no input panics; a pattern without special bytes matches
// exactly itself (ASCII case-folded with nocase); an escaped string matches
// itself.
func FuzzGlobMatch(f *testing.F) {
	for _, c := range globCases {
		f.Add([]byte(c.pattern), []byte(c.str), c.nocase)
	}
	f.Add([]byte(strings.Repeat("*a", 30)+"b"), bytes.Repeat([]byte("a"), 60), false)
	f.Fuzz(func(t *testing.T, pattern, str []byte, nocase bool) {
		if len(pattern) > 4096 || len(str) > 4096 {
			return // keep worst-case (quadratic) inputs cheap
		}
		GlobMatch(pattern, str, nocase)

		var literal []byte
		for _, c := range pattern {
			if !globIsSpecial(c) {
				literal = append(literal, c)
			}
		}
		want := bytes.Equal(literal, str)
		if nocase {
			want = globEqualFoldASCII(literal, str)
		}
		if got := GlobMatch(literal, str, nocase); got != want {
			t.Fatalf("literal pattern %q vs %q (nocase=%v): %v, want %v", literal, str, nocase, got, want)
		}
		if !GlobMatch(globEscape(str), str, false) {
			t.Fatalf("escaped %q does not match itself", str)
		}
	})
}
