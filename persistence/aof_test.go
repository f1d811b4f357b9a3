package persistence

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The manifest redis-server 7.0.15 writes after one BGREWRITEAOF.
const redisManifest = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"

func TestManifestRoundTrip(t *testing.T) {
	m, err := ParseManifest(strings.NewReader(redisManifest))
	if err != nil {
		t.Fatal(err)
	}
	if m.Base == nil || m.Base.Name != "appendonly.aof.2.base.rdb" || m.CurBaseSeq != 2 || m.CurIncrSeq != 2 || len(m.Incr) != 1 {
		t.Fatalf("parsed %+v", m)
	}
	if got := string(m.Bytes()); got != redisManifest {
		t.Fatalf("Bytes() = %q, want %q", got, redisManifest)
	}
	// A rewrite: new incr, new base, the old ones become history.
	n := m.Clone()
	if got := n.NewIncr("appendonly.aof"); got != "appendonly.aof.3.incr.aof" {
		t.Fatalf("NewIncr = %s", got)
	}
	if got := n.NewBase("appendonly.aof", false); got != "appendonly.aof.3.base.aof" {
		t.Fatalf("NewBase = %s", got)
	}
	n.MarkIncrHistory(true)
	want := "file appendonly.aof.3.base.aof seq 3 type b\n" +
		"file appendonly.aof.2.incr.aof seq 2 type h\n" +
		"file appendonly.aof.2.base.rdb seq 2 type h\n" +
		"file appendonly.aof.3.incr.aof seq 3 type i\n"
	if got := string(n.Bytes()); got != want {
		t.Fatalf("after rewrite:\n%s\nwant:\n%s", got, want)
	}
	if string(m.Bytes()) != redisManifest {
		t.Fatal("Clone shares state with the original")
	}
}

func TestManifestQuotedNames(t *testing.T) {
	m := &Manifest{Base: &AOFInfo{Name: "a b\"c\\\n\x01.rdb", Seq: 1, Type: AOFTypeBase}}
	text := string(m.Bytes())
	if want := "file \"a b\\\"c\\\\\\n\\x01.rdb\" seq 1 type b\n"; text != want {
		t.Fatalf("Bytes() = %q, want %q", text, want)
	}
	back, err := ParseManifest(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if back.Base.Name != m.Base.Name {
		t.Fatalf("name %q came back as %q", m.Base.Name, back.Base.Name)
	}
	// Comments and extra keys are skipped; single quotes work too.
	back, err = ParseManifest(strings.NewReader("# comment\nfile 'x y' seq 4 type i future 1\n"))
	if err != nil || back.Incr[0].Name != "x y" || back.CurIncrSeq != 4 {
		t.Fatalf("got %+v, %v", back, err)
	}
}

func TestManifestErrors(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"", "Found an empty AOF manifest"},
		{"\n", "Invalid AOF manifest file format"},
		{"file a seq 1\n", "Invalid AOF manifest file format"},
		{"file a seq 1 type b x\n", "Invalid AOF manifest file format"},
		{"file a seq 0 type b\n", "Invalid AOF manifest file format"},
		{"file a/b seq 1 type b\n", "File can't be a path, just a filename"},
		{"file a seq 1 type b\nfile b seq 2 type b\n", "Found duplicate base file information"},
		{"file a seq 2 type i\nfile b seq 2 type i\n", "Found a non-monotonic sequence number"},
		{"file a seq 1 type x\n", "Unknown AOF file type"},
		{"file a seq 1 type b", "The AOF manifest file contains too long line"},
		{"file \"a seq 1 type b\n", "Invalid AOF manifest file format"},
		{"file " + strings.Repeat("a", 1100) + " seq 1 type b\n", "The AOF manifest file contains too long line"},
	} {
		_, err := ParseManifest(strings.NewReader(tc.in))
		var me *ManifestError
		if !errors.As(err, &me) || me.Msg != tc.msg {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestWriteAndLoadManifest(t *testing.T) {
	dir := t.TempDir()
	m, err := LoadManifest(dir, "appendonly.aof")
	if err != nil || m.Base != nil || len(m.Incr) != 0 {
		t.Fatalf("missing manifest: %+v %v", m, err)
	}
	m.NewBase("appendonly.aof", true)
	m.NewIncr("appendonly.aof")
	if err := WriteManifest(dir, "appendonly.aof", m); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"; string(got) != want {
		t.Fatalf("manifest %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "temp-appendonly.aof.manifest")); !os.IsNotExist(err) {
		t.Fatal("temp manifest left behind")
	}
}

func readAll(t *testing.T, in string) (cmds []string, off int64, err error) {
	cr := NewCommandReader(strings.NewReader(in), 0)
	for {
		argv, err := cr.Next()
		if err != nil {
			return cmds, cr.Offset(), err
		}
		parts := make([]string, len(argv))
		for i, a := range argv {
			parts[i] = string(a)
		}
		cmds = append(cmds, strings.Join(parts, " "))
	}
}

func TestCommandReader(t *testing.T) {
	set := string(AppendCommand(nil, [][]byte{[]byte("SET"), []byte("k"), []byte("v\r\nx")}))
	sel := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
	cmds, off, err := readAll(t, sel+"#TS:1700000000\r\n"+set)
	if err != io.EOF || len(cmds) != 2 || cmds[1] != "SET k v\r\nx" || off != int64(len(sel)+16+len(set)) {
		t.Fatalf("got %q off %d err %v", cmds, off, err)
	}
	// Every proper prefix that cuts a command is a truncation at the end
	// of the previous command.
	full := sel + set
	for cut := len(sel) + 1; cut < len(full); cut++ {
		_, off, err := readAll(t, full[:cut])
		if !errors.Is(err, ErrAOFTruncated) || off != int64(len(sel)) {
			t.Fatalf("cut at %d: off %d err %v", cut, off, err)
		}
	}
	for _, bad := range []string{"x\r\n", "*0\r\n", "*1\r\nx\r\n", "*1\r\n$-2\r\n", "*1\r\n$1\r\nab\r\n", "*a\r\n"} {
		_, off, err := readAll(t, sel+bad)
		var fe *AOFFormatError
		if !errors.As(err, &fe) || off != int64(len(sel)) || fe.Offset != int64(len(sel)) {
			t.Fatalf("%q: off %d err %v", bad, off, err)
		}
	}
	// A huge declared length in a short file is a truncation, without
	// allocating the declared size.
	if _, _, err := readAll(t, "*1\r\n$999999999999\r\nab"); !errors.Is(err, ErrAOFTruncated) {
		t.Fatalf("huge length: %v", err)
	}
}

func FuzzCommandReader(f *testing.F) {
	f.Add([]byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"))
	f.Add([]byte("#TS:1\r\n*1\r\n$3\r\nab"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cr := NewCommandReader(bytes.NewReader(data), 0)
		var out []byte
		for {
			argv, err := cr.Next()
			if err != nil {
				if cr.Offset() > int64(len(data)) {
					t.Fatalf("offset %d beyond %d", cr.Offset(), len(data))
				}
				break
			}
			out = AppendCommand(out, argv)
		}
		// Re-encoding what was read and reading it again gives the same.
		cr2 := NewCommandReader(bytes.NewReader(out), 0)
		var again []byte
		for {
			argv, err := cr2.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("re-read: %v", err)
			}
			again = AppendCommand(again, argv)
		}
		if !bytes.Equal(out, again) {
			t.Fatal("round trip differs")
		}
	})
}

func TestAppenderGroupCommit(t *testing.T) {
	for _, policy := range []FsyncPolicy{FsyncAlways, FsyncEverysec, FsyncNo} {
		path := filepath.Join(t.TempDir(), "a.aof")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		a := NewAppender(f, 0, policy)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var want int64
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					mu.Lock() // appends are serialized by the keyspace lock in the server
					off := a.Append([]byte("*1\r\n$4\r\nPING\r\n"))
					want = off
					mu.Unlock()
					if err := a.WaitSynced(off); err != nil {
						t.Error(err)
						return
					}
					st, _ := os.Stat(path)
					if st.Size() < off {
						t.Errorf("policy %d: acknowledged offset %d but file has %d", policy, off, st.Size())
						return
					}
				}
			}(g)
		}
		wg.Wait()
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if int64(len(data)) != want || want != 8*50*14 {
			t.Fatalf("policy %d: file %d bytes, appended %d", policy, len(data), want)
		}
	}
}

func TestAppenderSwitch(t *testing.T) {
	dir := t.TempDir()
	f1, _ := os.Create(filepath.Join(dir, "1"))
	a := NewAppender(f1, 0, FsyncEverysec)
	a.Append([]byte("one"))
	f2, _ := os.Create(filepath.Join(dir, "2"))
	if err := a.Switch(f2); err != nil {
		t.Fatal(err)
	}
	off := a.Append([]byte("two"))
	deadline := time.Now().Add(2 * time.Second)
	for a.Stats().BufferLength != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := a.WaitSynced(off); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b1, _ := os.ReadFile(filepath.Join(dir, "1"))
	b2, _ := os.ReadFile(filepath.Join(dir, "2"))
	if string(b1) != "one" || string(b2) != "two" {
		t.Fatalf("files %q %q", b1, b2)
	}
}

func TestCheckAOF(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.aof")
	good := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n"
	os.WriteFile(path, []byte(good+"*3\r\n$3\r\nset\r\n$2\r\nk2\r\n"), 0o644)
	var out bytes.Buffer
	if st := CheckAOF([]string{path}, &out); st != 1 {
		t.Fatalf("status %d", st)
	}
	// The lines redis-check-aof 7.0.15 prints for this file.
	want := "Start checking Old-Style AOF\n" +
		"AOF analyzed: filename=t.aof, size=71, ok_up_to=50, ok_up_to_line=18, diff=21\n" +
		"AOF t.aof is not valid. Use the --fix option to try fixing it.\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if st := CheckAOF([]string{"--fix", path}, &out); st != 0 || !strings.Contains(out.String(), "Successfully truncated AOF t.aof") {
		t.Fatalf("fix: %d %s", st, out.String())
	}
	out.Reset()
	if st := CheckAOF([]string{path}, &out); st != 0 || !strings.Contains(out.String(), "ok_up_to=50, ok_up_to_line=13, diff=0\nAOF t.aof is valid\n") {
		t.Fatalf("after fix: %d %s", st, out.String())
	}
	// A corrupt command in the middle: a format error.
	os.WriteFile(path, []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\nXX3\r\n$3\r\nset\r\n"), 0o644)
	out.Reset()
	if st := CheckAOF([]string{path}, &out); st != 1 || !strings.Contains(out.String(), "AOF t.aof format error\nAOF analyzed: filename=t.aof, size=37, ok_up_to=23, ok_up_to_line=6, diff=14\n") {
		t.Fatalf("corrupt: %d %s", st, out.String())
	}
	// A multi-part AOF with an empty incr.
	m := &Manifest{}
	m.NewBase("appendonly.aof", false)
	m.NewIncr("appendonly.aof")
	os.WriteFile(filepath.Join(dir, "appendonly.aof.1.base.aof"), []byte(good), 0o644)
	os.WriteFile(filepath.Join(dir, "appendonly.aof.1.incr.aof"), nil, 0o644)
	if err := WriteManifest(dir, "appendonly.aof", m); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if st := CheckAOF([]string{filepath.Join(dir, "appendonly.aof.manifest")}, &out); st != 0 ||
		!strings.Contains(out.String(), "INCR AOF appendonly.aof.1.incr.aof is empty\nAll AOF files and manifest are valid\n") {
		t.Fatalf("multi part: %d %s", st, out.String())
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(redisManifest))
	f.Add([]byte("# c\nfile \"a\\x41 b\" seq 3 type h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(bytes.NewReader(data))
		if err != nil {
			return
		}
		// What parses formats to text that parses to the same manifest.
		text := m.Bytes()
		m2, err := ParseManifest(bytes.NewReader(text))
		if len(text) == 0 {
			return
		}
		for _, l := range bytes.Split(text, []byte("\n")) {
			if len(l) >= manifestMaxLine {
				return // quoting made a line too long: names that long are not ours
			}
		}
		if err != nil {
			t.Fatalf("re-parse of %q: %v", text, err)
		}
		if !bytes.Equal(m2.Bytes(), text) {
			t.Fatalf("round trip: %q vs %q", m2.Bytes(), text)
		}
	})
}
