package integration

// The HyperLogLog differential test sends one seeded random stream of
// PFADD, PFCOUNT, PFMERGE, PFDEBUG, GET and cross-loading SETs to a real
// redis-server and to Ferrite, in RESP2 and RESP3, and compares every
// reply byte for byte: counts, the stored HLL bytes (so the sparse opcodes,
// the promotion to dense and the cached cardinality all match), PFDEBUG's
// outputs and the errors for non-HLL and corrupted values.
//
//	SEED=123 HLL_DIFF_OPS=5000 go test ./integration -run TestHLLDifferential -v

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

var hllDiffKeys = []string{"h0", "h1", "h2", "{h}3", "str", "list", "missing"}

func TestHLLDifferential(t *testing.T) {
	forEachDiffProto(t, "HLL_DIFF_OPS", 1500, func(t *testing.T, seed int64, ops, proto int) {
		red, fer := startRedis(t), startFerrite(t)
		r := rand.New(rand.NewSource(seed))
		rc, fc := red.dial(t), fer.dial(t)
		for _, cmd := range [][]string{{"HELLO", strconv.Itoa(proto)}, {"FLUSHALL"},
			{"CONFIG", "SET", "hll-sparse-max-bytes", "3000"}, {"SET", "str", "not an hll"}, {"RPUSH", "list", "a"}} {
			rc.Do(cmd...)
			fc.Do(cmd...)
		}
		var history []string
		same := func(args ...string) string {
			t.Helper()
			want, got := rc.Do(args...), fc.Do(args...)
			line := fmt.Sprintf("%q", strings.Join(args, " "))
			if len(line) > 150 {
				line = line[:150] + "..."
			}
			history = append(history, line+" -> "+fmt.Sprintf("%.80q", want))
			if len(history) > 30 {
				history = history[1:]
			}
			if got != want {
				t.Fatalf("%.200s:\nredis   %.300q\nferrite %.300q\nlast commands:\n%s",
					strings.Join(args, " "), want, got, strings.Join(history, "\n"))
			}
			return got
		}
		key := func() string { return hllDiffKeys[r.Intn(len(hllDiffKeys))] }
		elements := func(max int) []string {
			n := r.Intn(max + 1)
			out := make([]string, n)
			for i := range out {
				out[i] = strconv.Itoa(r.Intn(200000))
			}
			return out
		}
		for i := 0; i < ops; i++ {
			switch k := r.Intn(100); {
			case k < 35:
				max := 8
				if r.Intn(10) == 0 {
					max = 2000
				}
				same(append([]string{"PFADD", key()}, elements(max)...)...)
			case k < 50:
				same("PFCOUNT", key())
			case k < 58:
				same(append([]string{"PFCOUNT"}, key(), key(), key())...)
			case k < 66:
				same("PFMERGE", key(), key(), key())
			case k < 76:
				same("GET", key())
			case k < 84:
				same("PFDEBUG", []string{"ENCODING", "DECODE", "TODENSE", "encoding"}[r.Intn(4)], key())
			case k < 86:
				same("PFDEBUG", "GETREG", key())
			case k < 92:
				// Cross-load: a value written by one server is SET into
				// the other under the other key (both ends must agree).
				from, to := key(), key()
				val := rc.Do("GET", from)
				if !strings.HasPrefix(val, "$") || strings.HasPrefix(val, "$-1") {
					continue
				}
				_, body, _ := strings.Cut(val, "\r\n")
				same("SET", to, strings.TrimSuffix(body, "\r\n"))
			case k < 94:
				same("DEL", key())
			case k < 96:
				same("CONFIG", "SET", "hll-sparse-max-bytes", strconv.Itoa([]int{0, 20, 100, 500, 3000}[r.Intn(5)]))
			case k < 98:
				same("OBJECT", "ENCODING", key())
			default:
				// A damaged copy of an HLL: random bytes of the body flipped.
				val := rc.Do("GET", key())
				if !strings.HasPrefix(val, "$") || strings.HasPrefix(val, "$-1") {
					continue
				}
				_, body, _ := strings.Cut(val, "\r\n")
				b := []byte(strings.TrimSuffix(body, "\r\n"))
				if len(b) <= 16 {
					continue
				}
				b[16+r.Intn(len(b)-16)] = byte(r.Intn(256))
				dst := key()
				same("SET", dst, string(b))
				same("PFCOUNT", dst)
			}
		}
		for _, k := range hllDiffKeys {
			same("GET", k)
		}
	})
}
