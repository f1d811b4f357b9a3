// Command gencommands regenerates server/commands.json, the metadata half of
// Ferrite's command table, from a real redis-server 7.0: the replies of
// COMMAND INFO and COMMAND DOCS in RESP3, kept as ordered trees so that our
// COMMAND replies reproduce Redis's byte for byte.
//
//	redis-server --port 7379 --save '' &
//	go run ./server/gencommands -addr 127.0.0.1:7379 > server/commands.json
//
// Tree encoding in the JSON: a string is a bulk string, a number an integer,
// an array an array, {"map":[k1,v1,...]} a map, {"set":[...]} a set and
// {"status":"x"} a simple string. Only COMMAND INFO/DOCS shapes occur.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "redis-server 7.0 to read from")
	flag.Parse()
	c, err := net.Dial("tcp", *addr)
	if err != nil {
		fatal(err)
	}
	r := bufio.NewReader(c)
	send := func(args ...string) any {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := c.Write([]byte(b.String())); err != nil {
			fatal(err)
		}
		v, err := read(r)
		if err != nil {
			fatal(err)
		}
		return v
	}
	send("HELLO", "3")
	infos := send("COMMAND", "INFO").([]any)
	docs := send("COMMAND", "DOCS").(map[string]any)["map"].([]any)
	docOf := map[string]any{}
	for i := 0; i+1 < len(docs); i += 2 {
		docOf[docs[i].(string)] = docs[i+1]
	}
	type entry struct {
		Name string `json:"name"`
		Info any    `json:"info"`
		Docs any    `json:"docs"`
	}
	var out []entry
	for _, inf := range infos {
		name := inf.([]any)[0].(string)
		out = append(out, entry{name, inf, docOf[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	os.Stdout.WriteString("[\n")
	for i, e := range out {
		b, _ := json.Marshal(e)
		os.Stdout.Write(b)
		if i < len(out)-1 {
			os.Stdout.WriteString(",")
		}
		os.Stdout.WriteString("\n")
	}
	os.Stdout.WriteString("]\n")
}

func read(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	typ, rest := line[0], line[1:]
	switch typ {
	case '+':
		return map[string]any{"status": rest}, nil
	case '-':
		return nil, fmt.Errorf("error reply: %s", rest)
	case ':':
		n, err := strconv.ParseInt(rest, 10, 64)
		return n, err
	case '$', '=':
		n, _ := strconv.Atoi(rest)
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '_':
		return nil, nil
	case '*', '~', '%':
		n, _ := strconv.Atoi(rest)
		if typ == '%' {
			n *= 2
		}
		arr := make([]any, 0, n)
		for i := 0; i < n; i++ {
			v, err := read(r)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		switch typ {
		case '%':
			return map[string]any{"map": arr}, nil
		case '~':
			return map[string]any{"set": arr}, nil
		}
		return arr, nil
	}
	return nil, fmt.Errorf("unexpected reply type %q", typ)
}

func io(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gencommands:", err)
	os.Exit(1)
}
