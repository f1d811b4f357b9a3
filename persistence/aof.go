package persistence

// The append only file (AOF) is Redis 7.0's multi-part layout, inside appenddirname:
//
//	appendonly.aof.1.base.rdb   the base: an RDB snapshot (or .base.aof:
//	                            commands, when aof-use-rdb-preamble is no)
//	appendonly.aof.1.incr.aof   commands executed after the base was taken
//	appendonly.aof.2.incr.aof   (a rewrite that failed leaves several)
//	appendonly.aof.manifest     which files make up the dataset, in order
//
// The manifest has one line per file, the base first, then history files
// (kept only until they are deleted), then incr files in sequence order:
//
//	file appendonly.aof.1.base.rdb seq 1 type b\n
//	file appendonly.aof.1.incr.aof seq 1 type i\n
//
// A file name that needs quoting is written as C-style quoted ("a b"),
// lines starting with '#' are comments, and unknown key/value pairs are
// ignored (forward compatibility), exactly as Redis's aofLoadManifestFromFile.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"ferrite/server/resp"
)

// AOF file types in the manifest.
const (
	AOFTypeBase    = 'b'
	AOFTypeHistory = 'h'
	AOFTypeIncr    = 'i'
)

// File name parts, as Redis's aof.c.
const (
	aofBaseSuffix     = ".base"
	aofIncrSuffix     = ".incr"
	aofRDBFormat      = ".rdb"
	aofAOFFormat      = ".aof"
	aofManifestSuffix = ".manifest"
	aofTempPrefix     = "temp-"
	manifestMaxLine   = 1024
)

// AOFInfo is one line of the manifest.
type AOFInfo struct {
	Name string
	Seq  int64
	Type byte // AOFTypeBase, AOFTypeHistory or AOFTypeIncr
}

// Manifest lists the files of a multi-part AOF. The zero value is an empty
// manifest (no AOF yet).
type Manifest struct {
	Base       *AOFInfo
	History    []AOFInfo
	Incr       []AOFInfo
	CurBaseSeq int64 // sequence of the last base created
	CurIncrSeq int64 // sequence of the last incr created
}

// ManifestName is the manifest's file name for appendfilename.
func ManifestName(appendfilename string) string { return appendfilename + aofManifestSuffix }

// ManifestError is a manifest that cannot be parsed; Line and Text are
// set when the error is on a line.
type ManifestError struct {
	Line int
	Text string
	Msg  string
}

func (e *ManifestError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("Reading the manifest file, at line %d: '%s': %s", e.Line, e.Text, e.Msg)
	}
	return e.Msg
}

// ParseManifest reads a manifest with the rules (and messages) of Redis's
// aofLoadManifestFromFile.
func ParseManifest(r io.Reader) (*Manifest, error) {
	m := &Manifest{}
	br := bufio.NewReader(r)
	var maxSeq int64
	for linenum := 1; ; linenum++ {
		raw, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, &ManifestError{Msg: "Read AOF manifest failed"}
		}
		if raw == "" && err == io.EOF {
			if linenum == 1 {
				return nil, &ManifestError{Msg: "Found an empty AOF manifest"}
			}
			return m, nil
		}
		if raw[0] == '#' {
			if err == io.EOF {
				return m, nil
			}
			continue
		}
		line := strings.Trim(raw, " \t\r\n")
		if len(raw) > manifestMaxLine || !strings.HasSuffix(raw, "\n") {
			return nil, &ManifestError{Line: linenum, Text: line, Msg: "The AOF manifest file contains too long line"}
		}
		bad := func(msg string) error { return &ManifestError{Line: linenum, Text: line, Msg: msg} }
		if line == "" {
			return nil, bad("Invalid AOF manifest file format")
		}
		args, ok := resp.SplitLine(line)
		if !ok || len(args) < 6 || len(args)%2 != 0 {
			return nil, bad("Invalid AOF manifest file format")
		}
		var ai AOFInfo
		for i := 0; i < len(args); i += 2 {
			switch strings.ToLower(args[i]) {
			case "file":
				ai.Name = args[i+1]
				if filepath.Base(ai.Name) != ai.Name || strings.ContainsRune(ai.Name, '/') {
					return nil, bad("File can't be a path, just a filename")
				}
			case "seq":
				ai.Seq = atoll(args[i+1])
			case "type":
				if args[i+1] != "" {
					ai.Type = args[i+1][0]
				}
			}
		}
		if ai.Name == "" || ai.Seq == 0 || ai.Type == 0 {
			return nil, bad("Invalid AOF manifest file format")
		}
		switch ai.Type {
		case AOFTypeBase:
			if m.Base != nil {
				return nil, bad("Found duplicate base file information")
			}
			b := ai
			m.Base = &b
			m.CurBaseSeq = ai.Seq
		case AOFTypeHistory:
			m.History = append(m.History, ai)
		case AOFTypeIncr:
			if ai.Seq <= maxSeq {
				return nil, bad("Found a non-monotonic sequence number")
			}
			m.Incr = append(m.Incr, ai)
			m.CurIncrSeq = ai.Seq
			maxSeq = ai.Seq
		default:
			return nil, bad("Unknown AOF file type")
		}
	}
}

// atoll is C's atoll: leading digits with an optional sign, 0 when none.
func atoll(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

// Bytes is the manifest's text: base, history, incr, one line each.
func (m *Manifest) Bytes() []byte {
	var b []byte
	line := func(ai AOFInfo) {
		b = append(b, "file "...)
		if needsRepr(ai.Name) {
			b = resp.AppendRepr(b, []byte(ai.Name))
		} else {
			b = append(b, ai.Name...)
		}
		b = append(b, " seq "...)
		b = strconv.AppendInt(b, ai.Seq, 10)
		b = append(b, " type "...)
		b = append(b, ai.Type, '\n')
	}
	if m.Base != nil {
		line(*m.Base)
	}
	for _, ai := range m.History {
		line(ai)
	}
	for _, ai := range m.Incr {
		line(ai)
	}
	return b
}

// Clone is a deep copy: changes are made on a copy and installed only
// once written to disk, as Redis's aofManifestDup.
func (m *Manifest) Clone() *Manifest {
	n := &Manifest{CurBaseSeq: m.CurBaseSeq, CurIncrSeq: m.CurIncrSeq}
	if m.Base != nil {
		b := *m.Base
		n.Base = &b
	}
	n.History = append([]AOFInfo(nil), m.History...)
	n.Incr = append([]AOFInfo(nil), m.Incr...)
	return n
}

// NewBase makes a new base file (RDB-formatted when rdb) the manifest's
// base, turning the previous one into history, and returns its name.
func (m *Manifest) NewBase(appendfilename string, rdb bool) string {
	if m.Base != nil {
		old := *m.Base
		old.Type = AOFTypeHistory
		m.History = append([]AOFInfo{old}, m.History...)
	}
	format := aofAOFFormat
	if rdb {
		format = aofRDBFormat
	}
	m.CurBaseSeq++
	name := appendfilename + "." + strconv.FormatInt(m.CurBaseSeq, 10) + aofBaseSuffix + format
	m.Base = &AOFInfo{Name: name, Seq: m.CurBaseSeq, Type: AOFTypeBase}
	return name
}

// NewIncr appends a new incr file and returns its name.
func (m *Manifest) NewIncr(appendfilename string) string {
	m.CurIncrSeq++
	name := appendfilename + "." + strconv.FormatInt(m.CurIncrSeq, 10) + aofIncrSuffix + aofAOFFormat
	m.Incr = append(m.Incr, AOFInfo{Name: name, Seq: m.CurIncrSeq, Type: AOFTypeIncr})
	return name
}

// LastIncr is the incr file being appended to, creating one if none.
func (m *Manifest) LastIncr(appendfilename string) string {
	if len(m.Incr) == 0 {
		return m.NewIncr(appendfilename)
	}
	return m.Incr[len(m.Incr)-1].Name
}

// MarkIncrHistory turns the incr files a rewrite has folded into the new
// base into history; keepLast keeps the file still being appended to.
func (m *Manifest) MarkIncrHistory(keepLast bool) {
	n := len(m.Incr)
	if keepLast && n > 0 {
		n--
	}
	for i := n - 1; i >= 0; i-- {
		ai := m.Incr[i]
		ai.Type = AOFTypeHistory
		m.History = append([]AOFInfo{ai}, m.History...)
	}
	m.Incr = append([]AOFInfo(nil), m.Incr[n:]...)
}

// Files are the base and incr files in loading order.
func (m *Manifest) Files() []AOFInfo {
	var fs []AOFInfo
	if m.Base != nil {
		fs = append(fs, *m.Base)
	}
	return append(fs, m.Incr...)
}

// LoadManifest reads dir/<appendfilename>.manifest; it returns an empty
// manifest and no error when the directory or the manifest does not
// exist (a fresh start, or an old single-file AOF to upgrade).
func LoadManifest(dir, appendfilename string) (*Manifest, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName(appendfilename)))
	if errors.Is(err, os.ErrNotExist) {
		return &Manifest{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("Fatal error: can't open the AOF manifest file %s for reading: %w", ManifestName(appendfilename), err)
	}
	defer f.Close()
	return ParseManifest(f)
}

// WriteManifest replaces dir's manifest atomically: a temp file, fsync,
// rename, then fsync of the directory, as Redis's writeAofManifestFile.
func WriteManifest(dir, appendfilename string, m *Manifest) error {
	name := ManifestName(appendfilename)
	tmp := filepath.Join(dir, aofTempPrefix+name)
	if err := writeFileSync(tmp, m.Bytes()); err != nil {
		return fmt.Errorf("Can't write the temporary AOF manifest file %s: %w", aofTempPrefix+name, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("Error trying to rename the temporary AOF manifest file %s into %s: %w", aofTempPrefix+name, name, err)
	}
	if err := SyncDir(dir); err != nil {
		return fmt.Errorf("Fail to fsync AOF directory %s: %w", dir, err)
	}
	return nil
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// SyncDir fsyncs a directory so renames and new files in it are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// TempRewriteName is the file a rewrite writes the new base to before it
// is renamed into place.
func TempRewriteName(pid int) string { return "temp-rewriteaof-bg-" + strconv.Itoa(pid) + ".aof" }

// needsRepr is Redis's sdsneedsrepr: the name must be quoted in the
// manifest to survive sdssplitargs. A single quote is added: Redis writes
// it bare and then cannot read its own manifest back.
func needsRepr(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' || ch == '"' || ch == '\'' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\a' || ch == '\b' ||
			ch < 32 || ch > 126 || ch == ' ' || ch == '\v' || ch == '\f' {
			return true
		}
	}
	return false
}
