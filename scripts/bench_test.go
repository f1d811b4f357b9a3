package scripts

import (
	"context"
	"testing"
)

func BenchmarkLoop(b *testing.B) {
	e := New()
	sc, _ := e.Create([]byte("local n=0 for i=1,1000 do n=n+i end return n"))
	h := &fakeHost{}
	for i := 0; i < b.N; i++ {
		e.Run(context.Background(), sc, h, nil, nil, 2)
	}
}

func BenchmarkLoopCancelable(b *testing.B) {
	e := New()
	sc, _ := e.Create([]byte("local n=0 for i=1,1000 do n=n+i end return n"))
	h := &fakeHost{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < b.N; i++ {
		e.Run(ctx, sc, h, nil, nil, 2)
	}
}

func BenchmarkCall(b *testing.B) {
	e := New()
	sc, _ := e.Create([]byte("return redis.call('get', KEYS[1])"))
	h := &fakeHost{reply: []byte("$3\r\nbar\r\n")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keys := [][]byte{[]byte("foo")}
	for i := 0; i < b.N; i++ {
		h.calls = h.calls[:0]
		e.Run(ctx, sc, h, keys, nil, 2)
	}
}
