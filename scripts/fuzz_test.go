package scripts

import (
	"context"
	"strings"
	"testing"
)

// FuzzDecoders feeds arbitrary bytes to the decoders scripts can reach
// (cjson.decode, cmsgpack.unpack, struct.unpack with a fuzzed format) and
// to the RESP reply parser: bad input must become a script error, never a
// panic of the Go side.
//
//	go test ./scripts -run '^$' -fuzz FuzzDecoders -fuzztime 30s
func FuzzDecoders(f *testing.F) {
	for _, seed := range []string{`[1,"a",{"b":null}]`, "\x93\x01\x02\x03", ">i2 b", "*2\r\n:1\r\n$-1\r\n", "%1\r\n+a\r\n,1.5\r\n"} {
		f.Add(seed)
	}
	e := New()
	scripts := []string{
		"return cjson.decode(ARGV[1])",
		"return {cmsgpack.unpack(ARGV[1])}",
		"return {struct.unpack(ARGV[1], ARGV[1])}",
		"return struct.size(ARGV[1])",
		"return redis.call('x')",
	}
	f.Fuzz(func(t *testing.T, in string) {
		h := &fakeHost{reply: []byte(in)}
		for _, body := range scripts {
			sc, err := e.Create([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			reply, _ := e.Run(context.Background(), sc, h, nil, [][]byte{[]byte(in)}, 3)
			if len(reply) == 0 || strings.Contains(string(reply), "runtime error") {
				t.Fatalf("%s on %q: %q", body, in, reply)
			}
		}
	})
}
