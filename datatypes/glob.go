// GlobMatch: Redis's glob-style matcher (stringmatchlen in Redis 7.0
// src/util.c, with the 7.0.x protections), used by KEYS, SCAN/HSCAN/SSCAN/
// ZSCAN MATCH, PSUBSCRIBE, CONFIG GET, COMMAND LIST FILTERBY PATTERN and ACL
// key and channel patterns.
//
// Contract: byte for byte the answer redis-server 7.0 on x86-64 Linux gives,
// including its quirks, because clients see them:
//
//   - '*' matches any run of bytes, '?' any one byte, '\x' the byte x.
//   - '[...]' is a class: '^' first negates it, 'a-z' is a range (reversed
//     ranges like 'z-a' are swapped), '\x' inside is the byte x compared
//     case-sensitively even when nocase. An unterminated class ("[abc")
//     runs to the end of the pattern; a trailing '\' is a literal '\'.
//   - Range bounds compare as C's signed char, so bytes >= 0x80 sort below
//     0x00 ("[a-\xff]" is the range \xff..a). With nocase they go through
//     glibc's tolower(), which in the C locale maps the negative values of
//     bytes 0x80..0xfe to 128..254 and leaves -1 (0xff, EOF) alone; only
//     A-Z fold otherwise.
//   - Matching stops as soon as either side runs out: an empty string never
//     matches, not even "*" (Redis callers special-case a bare "*" before
//     calling). Past the end of the pattern C reads the terminating NUL;
//     here out-of-range reads yield 0 the same way.
//   - Abusive patterns: once the rest of a pattern after a '*' has failed
//     at every later position of the string, no earlier '*' can succeed by
//     matching more, so the whole match fails at once (skipLongerMatches);
//     this bounds "a*a*a*...b" to polynomial time. Recursion deeper than
//     1000 stars fails the match.
package datatypes

// GlobMatch reports whether str matches the glob pattern, as Redis's
// stringmatchlen. With nocase, ASCII letters compare case-insensitively.
func GlobMatch(pattern, str []byte, nocase bool) bool {
	skipLonger := false
	return globMatch(pattern, str, nocase, &skipLonger, 0)
}

// globMatch is stringmatchlen_impl. p and s index pattern and str; the C
// pointer arithmetic becomes index arithmetic (patternLen = len(pat)-p).
func globMatch(pat, str []byte, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > 1000 {
		return false
	}
	p, s := 0, 0
	for p < len(pat) && s < len(str) {
		switch pat[p] {
		case '*':
			for p+1 < len(pat) && pat[p+1] == '*' {
				p++
			}
			if p == len(pat)-1 {
				return true
			}
			for ; s < len(str); s++ {
				if globMatch(pat[p+1:], str[s:], nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
			}
			*skipLonger = true
			return false
		case '?':
			s++
		case '[':
			p++
			not := p < len(pat) && pat[p] == '^'
			if not {
				p++
			}
			match := false
			for {
				if p+1 < len(pat) && pat[p] == '\\' {
					p++
					if pat[p] == str[s] {
						match = true
					}
				} else if p < len(pat) && pat[p] == ']' {
					break
				} else if p >= len(pat) {
					// Unterminated: step back so the advance after the
					// switch lands exactly at the end.
					p--
					break
				} else if p+2 < len(pat) && pat[p+1] == '-' {
					start, end, c := int(int8(pat[p])), int(int8(pat[p+2])), int(int8(str[s]))
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = cToLower(start), cToLower(end), cToLower(c)
					}
					p += 2
					if c >= start && c <= end {
						match = true
					}
				} else if nocase {
					if asciiLower(pat[p]) == asciiLower(str[s]) {
						match = true
					}
				} else if pat[p] == str[s] {
					match = true
				}
				p++
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			s++
		case '\\':
			if len(pat)-p >= 2 {
				p++
			}
			fallthrough
		default:
			if nocase {
				if asciiLower(pat[p]) != asciiLower(str[s]) {
					return false
				}
			} else if pat[p] != str[s] {
				return false
			}
			s++
		}
		p++
		if s == len(str) {
			for p < len(pat) && pat[p] == '*' {
				p++
			}
			break
		}
	}
	return p == len(pat) && s == len(str)
}

// asciiLower is tolower() for equality tests, where the mapping of bytes
// >= 0x80 does not matter as long as it is one to one.
func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// cToLower is glibc's tolower() in the C locale applied to a signed char
// value: -128..-2 index the table's copy of 0x80..0xfe and come back as
// 128..254, -1 is EOF and is returned as is.
func cToLower(c int) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return c + ('a' - 'A')
	case c < -1:
		return c + 256
	}
	return c
}
