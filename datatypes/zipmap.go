// Zipmap: the read side of Redis's zipmap (src/zipmap.c), the small hash
// encoding of Redis 2.0 to 2.4, found in RDB files as type 9. Redis 7.0 loads
// it by converting it to a listpack of field, value, field, value...; so do
// we. Nothing here builds a zipmap.
//
// Layout:
//
//	<zmlen> <len>"field" <len><free>"value" <len>"field" <len><free>"value" ... <0xFF>
//
//	zmlen  number of pairs if below 254; 254 (or more) means "count them"
//	len    length of the next string: one byte 0..253, or 254 followed by
//	       a uint32 little endian (any first byte of 254 or more takes the
//	       five-byte form, as zipmapDecodeLength reads it)
//	free   one byte: unused bytes after the value, skipped
//	0xFF   the terminator, where a field's <len> would start
//
// Every function here validates its input completely first, as
// zipmapValidateIntegrity does with deep=1: corrupt bytes give an error
// wrapping ErrCorruptZipmap, never a panic.
package datatypes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

const (
	zmBigLen = 254
	zmEnd    = 0xFF
)

// ErrCorruptZipmap is wrapped by every error about zipmap bytes.
var ErrCorruptZipmap = errors.New("corrupt zipmap")

// zmString reads the string whose <len> is at p (free says whether a <free>
// byte follows the length, as for values) and returns the string's bounds
// and where the next item starts. Like zipmapValidateIntegrity it requires
// the length bytes to end, and the string with its free space to end, at or
// before the terminator; lengths are 64-bit so that nothing wraps.
func zmString(b []byte, p int, free bool) (start, end, next int, err error) {
	last := len(b) - 1
	s := 1
	if b[p] >= zmBigLen {
		s = 5
	}
	if p+s > last {
		return 0, 0, 0, fmt.Errorf("%w: length at %d runs past the end", ErrCorruptZipmap, p)
	}
	l := uint64(b[p])
	if s == 5 {
		l = uint64(binary.LittleEndian.Uint32(b[p+1:]))
	}
	q := uint64(p + s)
	var e uint64
	if free {
		e = uint64(b[q])
		q++
	}
	n := q + l + e
	if n > uint64(last) {
		return 0, 0, 0, fmt.Errorf("%w: string at %d runs past the end", ErrCorruptZipmap, p)
	}
	return int(q), int(q + l), int(n), nil
}

// ValidateZipmap is zipmapValidateIntegrity with deep=1: at least two bytes,
// the terminator last, every field and value within the bytes, at least one
// pair, and zmlen equal to the count unless it is 254.
func ValidateZipmap(b []byte) error {
	return zmWalk(b, nil)
}

// zmWalk validates b and, once all of it is known good, calls fn (if not
// nil) for each pair in order.
func zmWalk(b []byte, fn func(field, value []byte) error) error {
	if len(b) < 2 {
		return fmt.Errorf("%w: %d bytes is shorter than a header", ErrCorruptZipmap, len(b))
	}
	if b[len(b)-1] != zmEnd {
		return fmt.Errorf("%w: no terminator", ErrCorruptZipmap)
	}
	count := 0
	for p := 1; b[p] != zmEnd; count++ {
		_, _, vat, err := zmString(b, p, false)
		if err != nil {
			return err
		}
		if _, _, p, err = zmString(b, vat, true); err != nil {
			return err
		}
	}
	if count == 0 {
		return fmt.Errorf("%w: empty", ErrCorruptZipmap)
	}
	if b[0] != zmBigLen && int(b[0]) != count {
		return fmt.Errorf("%w: header says %d pairs, have %d", ErrCorruptZipmap, b[0], count)
	}
	if fn == nil {
		return nil
	}
	for p := 1; b[p] != zmEnd; {
		fs, fe, vat, _ := zmString(b, p, false)
		vs, ve, next, _ := zmString(b, vat, true)
		if err := fn(b[fs:fe:fe], b[vs:ve:ve]); err != nil {
			return err
		}
		p = next
	}
	return nil
}

// ZipmapToListpack converts a zipmap to a listpack of field, value, field,
// value... as Redis's RDB loader does. Like that loader it rejects a zipmap
// with a field twice (a hash cannot hold it) and one that would grow the
// listpack past ListpackMaxSafetySize.
func ZipmapToListpack(b []byte) (Listpack, error) {
	lp := slices.Grow(NewListpack(), len(b))
	seen := make(map[string]struct{})
	err := zmWalk(b, func(field, value []byte) error {
		if _, dup := seen[string(field)]; dup {
			return fmt.Errorf("%w: field %q appears twice", ErrCorruptZipmap, field)
		}
		seen[string(field)] = struct{}{}
		if !ListpackSafeToAdd(lp, len(field)+len(value)) {
			return fmt.Errorf("%w: too big for a listpack", ErrCorruptZipmap)
		}
		lp.Append(field)
		lp.Append(value)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lp, nil
}
