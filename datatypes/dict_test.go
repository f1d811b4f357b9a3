package datatypes

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// dictTestRand returns a generator seeded from $SEED or the clock, and logs
// the seed so a failure can be replayed with SEED=<n>.
func dictTestRand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("bad SEED %q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with SEED=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// checkDict verifies the structural invariants of d and that it holds
// exactly the contents of model.
func checkDict(t *testing.T, d *Dict[int], model map[string]int) {
	t.Helper()
	if d.Len() != len(model) {
		t.Fatalf("Len = %d, model has %d", d.Len(), len(model))
	}
	seen := make(map[string]bool, len(model))
	live := map[*dictArena[int]]int{}
	for ti := 0; ti < 2; ti++ {
		tb := &d.ht[ti]
		if ti == 1 && !d.IsRehashing() {
			if tb.used != 0 || tb.ar != nil {
				t.Fatalf("ht[1] not reset outside rehashing: %+v", tb)
			}
			break
		}
		if n := len(tb.buckets); n != 0 && (n < dictInitialSize || n&(n-1) != 0) {
			t.Fatalf("ht[%d] has %d buckets", ti, n)
		}
		count := 0
		for i, head := range tb.buckets {
			if ti == 0 && d.IsRehashing() && i < d.rehashIdx && head != 0 {
				t.Fatalf("ht[0] bucket %d below rehashIdx %d is not empty", i, d.rehashIdx)
			}
			for r := head; r != 0; {
				e := tb.ar.at(r)
				if int(e.hash)&(len(tb.buckets)-1) != i {
					t.Fatalf("key %q in bucket %d of ht[%d] hashes elsewhere", e.key, i, ti)
				}
				if e.hash != d.hash(e.key) {
					t.Fatalf("key %q has a stale cached hash", e.key)
				}
				if seen[e.key] {
					t.Fatalf("key %q stored twice", e.key)
				}
				seen[e.key] = true
				want, ok := model[e.key]
				if !ok || want != e.val {
					t.Fatalf("dict has %q=%d, model has %d (present %v)", e.key, e.val, want, ok)
				}
				count++
				r = e.next
			}
		}
		if count != tb.used {
			t.Fatalf("ht[%d] used = %d, chains hold %d", ti, tb.used, count)
		}
		if tb.ar != nil {
			live[tb.ar] += count
		}
	}
	for ar, n := range live {
		free := 0
		for r := ar.free; r != 0; r = ar.at(r).next {
			free++
			if e := ar.at(r); e.key != "" || e.val != 0 {
				t.Fatalf("free slot %d still holds %q=%d", r, e.key, e.val)
			}
		}
		handed := 0
		if ar.n > 0 {
			handed = int(ar.n) - 1
		}
		if free+n != handed {
			t.Fatalf("arena: %d live + %d free != %d allocated", n, free, handed)
		}
	}
}

func TestDictRandomized(t *testing.T) {
	rng := dictTestRand(t)
	d := NewDict[int](rng.Uint64())
	model := map[string]int{}
	// Lookups go through a reused buffer, as the server passes zero-copy
	// strings: if the dict kept one, later comparisons would see garbage.
	buf := make([]byte, 0, 32)
	borrowed := func(k string) string {
		buf = append(buf[:0], k...)
		return unsafe.String(unsafe.SliceData(buf), len(buf))
	}
	scrub := func() {
		b := buf[:cap(buf)]
		for i := range b {
			b[i] = '#'
		}
	}

	var sawRehash, sawShrink, sawGrow int
	ops := 300000
	if testing.Short() {
		ops = 50000
	}
	// Phases alternate between filling and draining, so the table grows,
	// drops below 10% fill and shrinks, again and again.
	universe, draining := 16, false
	for i := 0; i < ops; i++ {
		if i%10000 == 0 {
			// Filling phases pick a new key universe; draining phases keep
			// it, so their deletes hit.
			draining = i/10000%2 == 1
			if !draining {
				universe = 1 << (2 + rng.IntN(14)) // 4 .. 32768
			}
		}
		k := "k" + strconv.Itoa(rng.IntN(universe))
		op := rng.IntN(100)
		if draining && op < 40 && rng.IntN(10) != 0 {
			op = 50 // mostly Delete instead of Set/Add
		}
		switch {
		case op < 30:
			v := rng.Int()
			added := d.Set(k, v)
			_, had := model[k]
			if added == had {
				t.Fatalf("op %d: Set(%q) added=%v, model had=%v", i, k, added, had)
			}
			model[k] = v
		case op < 40:
			v := rng.Int()
			added := d.Add(k, v)
			_, had := model[k]
			if added == had {
				t.Fatalf("op %d: Add(%q) added=%v, model had=%v", i, k, added, had)
			}
			if !had {
				model[k] = v
			}
		case op < 75:
			v, ok := d.Delete(borrowed(k))
			scrub()
			want, had := model[k]
			if ok != had || v != want {
				t.Fatalf("op %d: Delete(%q) = %d,%v; model %d,%v", i, k, v, ok, want, had)
			}
			delete(model, k)
		case op < 90:
			v, ok := d.Get(borrowed(k))
			scrub()
			want, had := model[k]
			if ok != had || v != want {
				t.Fatalf("op %d: Get(%q) = %d,%v; model %d,%v", i, k, v, ok, want, had)
			}
		case op < 94:
			if d.ShrinkIfNeeded() {
				sawShrink++
			}
		case op < 97:
			d.RehashSteps(rng.IntN(4))
		case op < 99:
			d.SetResizeAllowed(rng.IntN(4) != 0)
		default:
			if rng.IntN(50) == 0 {
				d.Clear()
				clear(model)
			}
		}
		if d.IsRehashing() {
			sawRehash++
		}
		if b0, b1 := d.Buckets(); b1 > b0 {
			sawGrow++
		}
		if d.Len() != len(model) {
			t.Fatalf("op %d: Len = %d, model %d", i, d.Len(), len(model))
		}
		if v, ok := d.Get(k); ok != hasKey(model, k) || v != model[k] {
			t.Fatalf("op %d: Get(%q) after op = %d,%v; model %d", i, k, v, ok, model[k])
		}
		if i%5000 == 0 || len(model) < 64 && i%97 == 0 {
			checkDict(t, d, model)
		}
	}
	checkDict(t, d, model)

	// Top up, then drain everything, shrinking as the cron would.
	d.SetResizeAllowed(true)
	for i := 0; len(model) < 1000; i++ {
		k := "fill" + strconv.Itoa(i)
		d.Set(k, i)
		model[k] = i
	}
	for k := range model {
		d.Delete(k)
		delete(model, k)
		if len(model)%16 == 0 {
			if d.ShrinkIfNeeded() {
				sawShrink++
			}
			d.RehashSteps(1)
			checkDict(t, d, model)
		}
	}
	checkDict(t, d, model)
	t.Logf("ops while rehashing: %d (growing: %d), shrinks: %d", sawRehash, sawGrow, sawShrink)
	if sawRehash == 0 || sawShrink == 0 || sawGrow == 0 {
		t.Fatalf("workload did not exercise resizing (rehash %d grow %d shrink %d)", sawRehash, sawGrow, sawShrink)
	}
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

func TestDictHashIsXXH64(t *testing.T) {
	rng := dictTestRand(t)
	buf := make([]byte, 100)
	for n := 0; n <= len(buf); n++ {
		for trial := 0; trial < 20; trial++ {
			for i := range buf[:n] {
				buf[i] = byte(rng.Uint32())
			}
			seed := rng.Uint64()
			if trial == 0 {
				seed = 0
			}
			d := xxhash.NewWithSeed(seed)
			d.Write(buf[:n])
			if got, want := xxhash64Seeded(string(buf[:n]), seed), d.Sum64(); got != want {
				t.Fatalf("len %d seed %d: %x, xxhash.Digest gives %x", n, seed, got, want)
			}
		}
	}
	if xxhash64Seeded("abc", 0) != xxhash.Sum64String("abc") {
		t.Fatal("seed 0 differs from xxhash.Sum64String")
	}
}

func TestDictZeroValue(t *testing.T) {
	var d Dict[string]
	if _, ok := d.Get("a"); ok {
		t.Fatal("empty dict has a")
	}
	if d.Scan(0, func(string, string) { t.Fatal("visited") }) != 0 {
		t.Fatal("scan of empty dict did not finish")
	}
	if _, _, ok := d.RandomKey(); ok {
		t.Fatal("RandomKey on empty dict")
	}
	d.SomeKeys(5, func(string, string) { t.Fatal("sampled from empty dict") })
	if !d.Set("a", "1") || d.Set("a", "2") || d.Add("a", "3") {
		t.Fatal("Set/Add results wrong")
	}
	if v, ok := d.Get("a"); !ok || v != "2" {
		t.Fatalf("Get = %q,%v", v, ok)
	}
	if k, ok := d.Key("a"); !ok || k != "a" {
		t.Fatalf("Key = %q,%v", k, ok)
	}
	if v, ok := d.Delete("a"); !ok || v != "2" || d.Len() != 0 {
		t.Fatalf("Delete = %q,%v len %d", v, ok, d.Len())
	}
}

func TestDictKeyReturnsStoredString(t *testing.T) {
	d := NewDict[int](1)
	stored := string([]byte("somekey"))
	d.Set(stored, 1)
	probe := string([]byte("somekey"))
	k, ok := d.Key(probe)
	if !ok || unsafe.StringData(k) != unsafe.StringData(stored) {
		t.Fatal("Key did not return the stored string")
	}
	// Replace keeps the original key, like dictReplace.
	d.Set(probe, 2)
	if k, _ := d.Key("somekey"); unsafe.StringData(k) != unsafe.StringData(stored) {
		t.Fatal("Set replaced the stored key")
	}
}

// Growth follows _dictExpandIfNeeded: 4 buckets first, then the next power
// of two >= used+1 once used reaches the bucket count.
func TestDictGrowthPolicy(t *testing.T) {
	d := NewDict[int](7)
	d.Set("k0", 0)
	if b0, b1 := d.Buckets(); b0 != 4 || b1 != 0 {
		t.Fatalf("initial buckets %d,%d", b0, b1)
	}
	for i := 1; i < 4; i++ {
		d.Set("k"+strconv.Itoa(i), i)
	}
	if b0, b1 := d.Buckets(); b0 != 4 || b1 != 0 {
		t.Fatalf("buckets at 4 keys: %d,%d", b0, b1)
	}
	d.Set("k4", 4) // used 4 >= 4: expand(5) -> 8
	if b0, b1 := d.Buckets(); b0 != 4 || b1 != 8 || !d.IsRehashing() {
		t.Fatalf("buckets after 5th key: %d,%d rehashing %v", b0, b1, d.IsRehashing())
	}
	for d.RehashSteps(1) {
	}
	if b0, b1 := d.Buckets(); b0 != 8 || b1 != 0 {
		t.Fatalf("after rehash: %d,%d", b0, b1)
	}

	// With resizing disallowed the table only grows past 5 keys per bucket.
	d = NewDict[int](7)
	d.SetResizeAllowed(false)
	for i := 0; i < 24; i++ {
		d.Set("k"+strconv.Itoa(i), i)
	}
	if b0, b1 := d.Buckets(); b0 != 4 || b1 != 0 {
		t.Fatalf("no-resize buckets at 24 keys: %d,%d", b0, b1)
	}
	d.Set("k24", 24) // 24/4 > 5: expand(25) -> 32
	if _, b1 := d.Buckets(); b1 != 32 {
		t.Fatalf("no-resize forced growth to %d, want 32", b1)
	}
}

func TestDictShrink(t *testing.T) {
	d := NewDict[int](3)
	model := map[string]int{}
	for i := 0; i < 10000; i++ {
		k := "key:" + strconv.Itoa(i)
		d.Set(k, i)
		model[k] = i
	}
	for d.RehashSteps(100) {
	}
	if d.ShrinkIfNeeded() {
		t.Fatal("shrank a full table")
	}
	for i := 0; i < 9900; i++ {
		k := "key:" + strconv.Itoa(i)
		d.Delete(k)
		delete(model, k)
	}
	for d.RehashSteps(100) {
	}
	d.SetResizeAllowed(false)
	if d.ShrinkIfNeeded() {
		t.Fatal("shrank while resizing is not allowed")
	}
	d.SetResizeAllowed(true)
	if !d.ShrinkIfNeeded() {
		b0, b1 := d.Buckets()
		t.Fatalf("did not shrink %d keys in %d+%d buckets", d.Len(), b0, b1)
	}
	checkDict(t, d, model)
	for d.RehashSteps(1) {
		checkDict(t, d, model)
	}
	if b0, b1 := d.Buckets(); b0 != 128 || b1 != 0 {
		t.Fatalf("after shrink: %d,%d buckets, want 128", b0, b1)
	}
	// The shrink moved the 100 survivors into a fresh arena: one small chunk.
	if n := len(d.ht[0].ar.chunks); n != 1 {
		t.Fatalf("arena still has %d chunks after compacting shrink", n)
	}
	checkDict(t, d, model)
}

// RehashSteps caps empty-bucket visits at 10 per step.
func TestDictRehashEmptyVisitCap(t *testing.T) {
	d := NewDict[int](5)
	for i := 0; i < 5000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	for d.RehashSteps(100) {
	}
	for i := 0; i < 4990; i++ {
		d.Delete(strconv.Itoa(i))
	}
	if !d.ShrinkIfNeeded() {
		t.Fatal("no shrink")
	}
	start := d.rehashIdx
	d.RehashSteps(1)
	if d.IsRehashing() && d.rehashIdx-start > 11 {
		t.Fatalf("one step advanced %d buckets", d.rehashIdx-start)
	}
}

// TestDictScanGuarantee checks dictScan's promise: every key present for
// the whole scan is returned, while other keys are added and removed between
// calls so the table grows, shrinks and rehashes under the cursor.
func TestDictScanGuarantee(t *testing.T) {
	rng := dictTestRand(t)
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	var scansDuringRehash, grows, shrinks int
	for round := 0; round < rounds; round++ {
		d := NewDict[int](rng.Uint64())
		stable := map[string]bool{}
		for i, n := 0, 1+rng.IntN(1000); i < n; i++ {
			k := fmt.Sprintf("s%d", i)
			stable[k] = true
			d.Set(k, i)
		}
		everPresent := map[string]bool{}
		for k := range stable {
			everPresent[k] = true
		}
		var others []string
		next := 0
		seen := map[string]bool{}
		cursor := uint64(0)
		for calls := 0; ; calls++ {
			if calls > 1<<20 {
				t.Fatal("scan does not terminate")
			}
			if d.IsRehashing() {
				scansDuringRehash++
			}
			cursor = d.Scan(cursor, func(k string, v int) {
				if !everPresent[k] {
					t.Fatalf("scan returned %q, never inserted", k)
				}
				seen[k] = true
			})
			if cursor == 0 {
				break
			}
			// Mutate between calls: now and then a burst of growth or of
			// deletion followed by a shrink; often a little rehashing.
			before0, before1 := d.Buckets()
			switch rng.IntN(32) {
			case 0:
				// Up to 4x growth, capped so the test stays fast.
				for n := min(rng.IntN(3*d.Len()+1), 4000-d.Len()); n > 0; n-- {
					k := "o" + strconv.Itoa(next)
					next++
					others = append(others, k)
					everPresent[k] = true
					d.Set(k, -1)
				}
			case 1:
				n := len(others)
				if rng.IntN(2) == 0 {
					n = rng.IntN(n + 1)
				}
				for ; n > 0 && len(others) > 0; n-- {
					j := rng.IntN(len(others))
					d.Delete(others[j])
					others[j] = others[len(others)-1]
					others = others[:len(others)-1]
				}
				if d.ShrinkIfNeeded() {
					shrinks++
				}
			case 2, 3, 4, 5:
				d.RehashSteps(rng.IntN(8))
			case 6:
				d.Get("s0")
			}
			if after0, after1 := d.Buckets(); max(after0, after1) > max(before0, before1) {
				grows++
			}
		}
		for k := range stable {
			if !seen[k] {
				t.Fatalf("round %d: stable key %q never returned by scan", round, k)
			}
		}
	}
	t.Logf("scan calls during rehash %d, grows %d, shrinks %d", scansDuringRehash, grows, shrinks)
	if scansDuringRehash == 0 || grows == 0 || shrinks == 0 {
		t.Fatal("scan test did not exercise resizing")
	}
}

// With no changes between calls, a scan returns every key exactly once,
// whether or not a rehash is in progress.
func TestDictScanStaticExactlyOnce(t *testing.T) {
	for _, rehashing := range []bool{false, true} {
		d := NewDict[int](11)
		for i := 0; i < 1000; i++ {
			d.Set(strconv.Itoa(i), i)
		}
		for d.RehashSteps(100) {
		}
		if rehashing {
			for i := 1000; d.IsRehashing() == false; i++ {
				d.Set(strconv.Itoa(i), i)
			}
			d.RehashSteps(50)
			if !d.IsRehashing() {
				t.Fatal("rehash finished too early for the test")
			}
		}
		count := map[string]int{}
		c := uint64(0)
		for {
			c = d.Scan(c, func(k string, _ int) { count[k]++ })
			if c == 0 {
				break
			}
		}
		if len(count) != d.Len() {
			t.Fatalf("rehashing=%v: scan saw %d keys of %d", rehashing, len(count), d.Len())
		}
		for k, n := range count {
			if n != 1 {
				t.Fatalf("rehashing=%v: %q seen %d times", rehashing, k, n)
			}
		}
	}
}

func TestDictRandomKeyAndSomeKeys(t *testing.T) {
	for _, rehashing := range []bool{false, true} {
		d := NewDict[int](13)
		n := 100
		for i := 0; i < n; i++ {
			d.Set("r"+strconv.Itoa(i), i)
		}
		if rehashing {
			for d.RehashSteps(100) {
			}
			for i := n; !d.IsRehashing(); i++ {
				d.Set("r"+strconv.Itoa(i), i)
				n++
			}
		}
		hits := map[string]int{}
		draws := 200 * d.Len()
		for i := 0; i < draws; i++ {
			k, v, ok := d.RandomKey()
			if !ok {
				t.Fatal("RandomKey on non-empty dict failed")
			}
			if got, ok := d.Get(k); !ok || got != v {
				t.Fatalf("RandomKey returned %q=%d, dict has %d,%v", k, v, got, ok)
			}
			hits[k]++
		}
		if len(hits) != d.Len() {
			t.Fatalf("rehashing=%v: RandomKey reached %d of %d keys", rehashing, len(hits), d.Len())
		}
		for k, h := range hits {
			if h > 10*draws/d.Len() {
				t.Fatalf("key %q drawn %d times of %d", k, h, draws)
			}
		}

		// SomeKeys may come back short (it gives up after count*10 bucket
		// steps), so only the total over several calls must be non-zero.
		for _, want := range []int{1, 5, 20, 1000} {
			total := 0
			for try := 0; try < 20; try++ {
				got := 0
				d.SomeKeys(want, func(k string, v int) {
					got++
					if e := d.find(k, d.hash(k)); e == nil || e.val != v {
						t.Fatalf("SomeKeys returned %q=%d, not in the dict", k, v)
					}
				})
				if got > want || got > d.Len() {
					t.Fatalf("SomeKeys(%d) returned %d", want, got)
				}
				total += got
			}
			if total == 0 {
				t.Fatalf("SomeKeys(%d) never returned anything from %d keys", want, d.Len())
			}
		}
	}
	// A single key in a large sparse table is still found.
	d := NewDict[int](17)
	for i := 0; i < 1000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	for i := 1; i < 1000; i++ {
		d.Delete(strconv.Itoa(i))
	}
	for i := 0; i < 100; i++ {
		if k, _, ok := d.RandomKey(); !ok || k != "0" {
			t.Fatalf("RandomKey = %q,%v", k, ok)
		}
	}
}

func TestDictRange(t *testing.T) {
	d := NewDict[int](19)
	for i := 0; i < 3000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	// Stop midway through a rehash.
	for i := 3000; !d.IsRehashing(); i++ {
		d.Set(strconv.Itoa(i), i)
	}
	seen := map[string]bool{}
	d.Range(func(k string, v int) bool {
		if seen[k] || strconv.Itoa(v) != k {
			t.Fatalf("Range: %q=%d (dup %v)", k, v, seen[k])
		}
		seen[k] = true
		return true
	})
	if len(seen) != d.Len() {
		t.Fatalf("Range saw %d of %d", len(seen), d.Len())
	}
	n := 0
	d.Range(func(string, int) bool { n++; return n < 10 })
	if n != 10 {
		t.Fatalf("Range did not stop: %d calls", n)
	}
}

func TestDictNoAllocLookups(t *testing.T) {
	d := NewDict[int](23)
	for i := 0; i < 1000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	key := []byte("500")
	if n := testing.AllocsPerRun(100, func() {
		d.Get(unsafe.String(&key[0], len(key)))
		d.Set("500", 1)
		d.RandomKey()
		d.SomeKeys(5, func(string, int) {})
	}); n != 0 {
		t.Fatalf("lookups allocate %.1f times", n)
	}
}

// FuzzDict interprets the input as operations on a small key space and
// compares against a map.
func FuzzDict(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07"), uint64(0))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff\xfe\xfd"), uint64(42))
	f.Fuzz(func(t *testing.T, ops []byte, seed uint64) {
		d := NewDict[int](seed)
		model := map[string]int{}
		for i := 0; i+1 < len(ops); i += 2 {
			k := strconv.Itoa(int(ops[i+1]))
			switch ops[i] % 8 {
			case 0, 1:
				if d.Set(k, i) == hasKey(model, k) {
					t.Fatalf("Set(%q) result mismatch", k)
				}
				model[k] = i
			case 2:
				_, had := model[k]
				if d.Add(k, i) == had {
					t.Fatalf("Add(%q) result mismatch", k)
				}
				if !had {
					model[k] = i
				}
			case 3, 4:
				v, ok := d.Delete(k)
				want, had := model[k]
				if ok != had || v != want {
					t.Fatalf("Delete(%q) = %d,%v want %d,%v", k, v, ok, want, had)
				}
				delete(model, k)
			case 5:
				d.ShrinkIfNeeded()
			case 6:
				d.RehashSteps(int(ops[i+1] % 4))
			case 7:
				d.SetResizeAllowed(ops[i+1]%2 == 0)
			}
		}
		checkDict(t, d, model)
	})
}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

// BenchmarkDictSet inserts distinct keys into a growing dict (1M then start
// over), so it includes incremental rehashing.
func BenchmarkDictSet(b *testing.B) {
	keys := benchKeys(1 << 20)
	d := NewDict[int](1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i&(len(keys)-1) == 0 && i > 0 {
			d = NewDict[int](1)
		}
		d.Set(keys[i&(len(keys)-1)], i)
	}
}

// BenchmarkDictGet looks up random keys in a 1M-key dict.
func BenchmarkDictGet(b *testing.B) {
	keys := benchKeys(1 << 20)
	d := NewDict[int](1)
	for i, k := range keys {
		d.Set(k, i)
	}
	for d.RehashSteps(1000) {
	}
	order := rand.Perm(len(keys))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := d.Get(keys[order[i&(len(keys)-1)]]); !ok {
			b.Fatal("missing")
		}
	}
}

// BenchmarkMapGet is the Go map baseline for BenchmarkDictGet.
func BenchmarkMapGet(b *testing.B) {
	keys := benchKeys(1 << 20)
	m := make(map[string]int)
	for i, k := range keys {
		m[k] = i
	}
	order := rand.Perm(len(keys))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := m[keys[order[i&(len(keys)-1)]]]; !ok {
			b.Fatal("missing")
		}
	}
}

// Touch only reads: on an empty dict, a growing one and a full one it
// changes nothing a lookup can see.
func TestDictTouchReadsOnly(t *testing.T) {
	d := NewDict[int](1)
	if d.Touch("x") != 0 {
		t.Fatal("Touch on an empty dict")
	}
	for i := range 5000 {
		k := "k" + strconv.Itoa(i)
		d.Touch(k)
		d.Add(k, i)
		d.Touch(k)
	}
	if d.Len() != 5000 {
		t.Fatalf("Len %d", d.Len())
	}
	for i := range 5000 {
		if v, ok := d.Get("k" + strconv.Itoa(i)); !ok || v != i {
			t.Fatalf("k%d = %d, %v", i, v, ok)
		}
	}
}
