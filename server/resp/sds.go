package resp

import "strings"

// The two sds helpers Redis uses for text it writes and reads back: config
// files, the AOF manifest, MONITOR lines. SplitLine is the inline
// protocol's splitter (SplitArgs) over a whole line.

// SplitLine is Redis's sdssplitargs over a text line. The line is a C
// string to Redis, so it ends at a NUL byte. ok is false on unbalanced
// quotes or a closing quote not followed by a space.
func SplitLine(line string) (args []string, ok bool) {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	b := []byte(line)
	offs, ok := SplitArgs(b, nil)
	if !ok {
		return nil, false
	}
	args = make([]string, len(offs))
	for i, o := range offs {
		args[i] = string(b[o[0]:o[1]])
	}
	return args, true
}

// AppendRepr appends b quoted and escaped as Redis's sdscatrepr: the
// escapes \\ \" \n \r \t \a \b, printable ASCII as is, anything else as
// \xHH. SplitLine reads it back unchanged.
func AppendRepr(dst, b []byte) []byte {
	const hexdigits = "0123456789abcdef"
	dst = append(dst, '"')
	for _, ch := range b {
		switch ch {
		case '\\', '"':
			dst = append(dst, '\\', ch)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if ch >= 0x20 && ch < 0x7f {
				dst = append(dst, ch)
			} else {
				dst = append(dst, '\\', 'x', hexdigits[ch>>4], hexdigits[ch&15])
			}
		}
	}
	return append(dst, '"')
}
