package persistence

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// CheckAOF is redis-check-aof: `[--fix] <file.manifest|file.aof>`. It
// checks a multi-part AOF (given its manifest), an RDB-format base, or an
// old single-file AOF, prints what it found with redis-check-aof's
// messages, and returns the exit status. With --fix a truncated or
// corrupt tail is cut at the last valid command (redis-check-aof asks
// for confirmation first; here --fix is the confirmation).
// --truncate-to-timestamp is not supported.
func CheckAOF(args []string, out io.Writer) int {
	w := bufio.NewWriter(out)
	defer w.Flush()
	fix := false
	var path string
	switch {
	case len(args) == 1:
		path = args[0]
	case len(args) == 2 && args[0] == "--fix":
		fix, path = true, args[1]
	default:
		fmt.Fprintf(w, "Usage: redis-check-aof [--fix] <file.manifest|file.aof>\n")
		return 1
	}
	switch fileKind(path) {
	case kindManifest:
		fmt.Fprintf(w, "Start checking Multi Part AOF\n")
		return checkMultiPart(w, path, fix)
	case kindRDB:
		fmt.Fprintf(w, "Start checking RDB-preamble AOF\n")
		if checkBase(w, path, filepath.Base(path), fix) != 0 {
			return 1
		}
		return 0
	default:
		fmt.Fprintf(w, "Start checking Old-Style AOF\n")
		if st := checkAOFFile(w, path, filepath.Base(path), fix, 0); st != checkOK && st != checkFixed {
			return 1
		}
		return 0
	}
}

const (
	kindAOF = iota
	kindRDB
	kindManifest
)

// fileKind tells a manifest (parses as one), an RDB (starts with REDIS)
// and a command stream apart.
func fileKind(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return kindAOF
	}
	defer f.Close()
	var sig [5]byte
	if n, _ := io.ReadFull(f, sig[:]); n == 5 && string(sig[:]) == "REDIS" {
		return kindRDB
	}
	if sig[0] == '*' {
		return kindAOF
	}
	f.Seek(0, io.SeekStart)
	if _, err := ParseManifest(f); err == nil {
		return kindManifest
	}
	return kindAOF
}

func checkMultiPart(w *bufio.Writer, path string, fix bool) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(w, "Cannot open file %s: %v\n", path, err)
		return 1
	}
	m, err := ParseManifest(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(w, "%v\n", err)
		return 1
	}
	dir := filepath.Dir(path)
	if m.Base != nil {
		bp := filepath.Join(dir, m.Base.Name)
		if fileKind(bp) == kindRDB {
			fmt.Fprintf(w, "Start to check BASE AOF (RDB format).\n")
		} else {
			fmt.Fprintf(w, "Start to check BASE AOF (AOF format).\n")
		}
		if checkBase(w, bp, m.Base.Name, fix && len(m.Incr) == 0) != 0 {
			return 1
		}
	}
	if len(m.Incr) > 0 {
		fmt.Fprintf(w, "Start to check INCR files.\n")
		for i, ai := range m.Incr {
			last := i == len(m.Incr)-1
			switch checkAOFFile(w, filepath.Join(dir, ai.Name), ai.Name, fix && last, 0) {
			case checkOK, checkFixed:
				fmt.Fprintf(w, "INCR AOF %s is valid\n", ai.Name)
			case checkEmpty:
				fmt.Fprintf(w, "INCR AOF %s is empty\n", ai.Name)
			default:
				return 1
			}
		}
	}
	fmt.Fprintf(w, "All AOF files and manifest are valid\n")
	return 0
}

// checkBase checks a base file: an RDB (the preamble) or commands.
func checkBase(w *bufio.Writer, path, name string, fix bool) int {
	off := int64(0)
	if fileKind(path) == kindRDB {
		w.Flush()
		if CheckRDB(path, w) != 0 {
			fmt.Fprintf(w, "RDB preamble of AOF file is not sane, aborting.\n")
			return 1
		}
		fmt.Fprintf(w, "RDB preamble is OK, proceeding with AOF tail...\n")
		st, err := os.Stat(path)
		if err != nil {
			return 1
		}
		off = st.Size()
		fmt.Fprintf(w, "AOF analyzed: filename=%s, size=%d, ok_up_to=%d, ok_up_to_line=1, diff=0\n", name, off, off)
		fmt.Fprintf(w, "BASE AOF %s is valid\n", name)
		return 0
	}
	switch checkAOFFile(w, path, name, fix, 0) {
	case checkOK, checkFixed:
		fmt.Fprintf(w, "BASE AOF %s is valid\n", name)
		return 0
	case checkEmpty:
		fmt.Fprintf(w, "BASE AOF %s is empty\n", name)
		return 0
	}
	return 1
}

const (
	checkOK = iota
	checkEmpty
	checkFixed
	checkBad
)

// checkAOFFile reads every command of a command stream and reports where
// the valid part ends, truncating there with fix.
func checkAOFFile(w *bufio.Writer, path, name string, fix bool, start int64) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(w, "Cannot open file %s: %v, aborting...\n", name, err)
		return checkBad
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return checkBad
	}
	size := st.Size()
	if size == 0 {
		f.Close()
		return checkEmpty
	}
	cr := NewCommandReader(f, start)
	line := int64(0)
	inMulti := false
	var beforeMulti, beforeMultiLine int64
	for {
		argv, err := cr.Next()
		if err == io.EOF {
			line = cr.Line() + 1
			if inMulti {
				fmt.Fprintf(w, "Reached EOF before reading EXEC for MULTI\n")
				cr.valid, line = beforeMulti, beforeMultiLine
			}
			break
		}
		if err != nil {
			var fe *AOFFormatError
			if errors.As(err, &fe) {
				fmt.Fprintf(w, "AOF %s format error\n", name)
				line = cr.Line() + 1
			} else if errors.Is(err, ErrAOFTruncated) {
				line = cr.line + 1
			} else {
				fmt.Fprintf(w, "Error reading AOF %s: %v\n", name, err)
				f.Close()
				return checkBad
			}
			if inMulti {
				cr.valid = beforeMulti
			}
			break
		}
		switch strings.ToLower(string(argv[0])) {
		case "multi":
			if inMulti {
				fmt.Fprintf(w, "Unexpected MULTI\n")
			}
			inMulti = true
			beforeMulti = cr.Offset() - int64(len(AppendCommand(nil, argv)))
			beforeMultiLine = cr.Line() + 1
		case "exec":
			if !inMulti {
				fmt.Fprintf(w, "Unexpected EXEC\n")
			}
			inMulti = false
		}
	}
	f.Close()
	ok := cr.Offset()
	diff := size - ok
	fmt.Fprintf(w, "AOF analyzed: filename=%s, size=%d, ok_up_to=%d, ok_up_to_line=%d, diff=%d\n", name, size, ok, line, diff)
	if diff == 0 {
		if start == 0 && !strings.HasSuffix(name, ".incr.aof") && !strings.Contains(name, ".base.") {
			fmt.Fprintf(w, "AOF %s is valid\n", name)
		}
		return checkOK
	}
	if !fix {
		fmt.Fprintf(w, "AOF %s is not valid. Use the --fix option to try fixing it.\n", name)
		return checkBad
	}
	fmt.Fprintf(w, "This will shrink the AOF %s from %d bytes, with %d bytes, to %d bytes\n", name, size, diff, ok)
	if err := os.Truncate(path, ok); err != nil {
		fmt.Fprintf(w, "Failed to truncate AOF %s\n", name)
		return checkBad
	}
	fmt.Fprintf(w, "Successfully truncated AOF %s\n", name)
	return checkFixed
}
