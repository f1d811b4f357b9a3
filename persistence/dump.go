package persistence

import (
	"encoding/binary"
	"errors"

	"ferrite/datatypes"
)

// ErrDumpVersion is a DUMP payload too short, from a newer RDB version, or
// with a wrong checksum (verifyDumpPayload).
var ErrDumpVersion = errors.New("DUMP payload version or checksum are wrong")

// DecodeDump is RESTORE's reading of a DUMP payload: the footer must name
// RDB version 10 or older (Redis 7.0) and the CRC must match; then the
// value is decoded under lim. ErrDumpVersion reports a bad footer; any
// other error (a *CorruptError) means the value itself is malformed.
func DecodeDump(p []byte, lim Limits) (*datatypes.Object, error) {
	if len(p) < 10 {
		return nil, ErrDumpVersion
	}
	footer := len(p) - 10
	if binary.LittleEndian.Uint16(p[footer:]) > Version {
		return nil, ErrDumpVersion
	}
	if CRC64(0, p[:footer+2]) != binary.LittleEndian.Uint64(p[footer+2:]) {
		return nil, ErrDumpVersion
	}
	d := &decoder{buf: p[:footer], w: footer, lim: lim}
	t, err := d.byte()
	if err != nil {
		return nil, err
	}
	if !isObjectType(t) {
		return nil, d.corrupt("unknown RDB type %d", t)
	}
	o, err := d.object(t)
	if err == errEmptyKey {
		return nil, d.corrupt("empty value")
	}
	return o, err
}
