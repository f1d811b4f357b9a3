package datatypes

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestDictScanVisited checks ScanVisited against Scan itself: after every
// Scan call, exactly the keys Scan has returned so far are "visited",
// while keys are added (growing the table, also mid-rehash) and deleted
// between calls with resizing disabled, as a snapshot does.
func TestDictScanVisited(t *testing.T) {
	seed := uint64(rand.Int64())
	if v := os.Getenv("SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for round := 0; round < 20; round++ {
		d := NewDict[int](rng.Uint64())
		n := 1 + rng.IntN(800)
		for i := 0; i < n; i++ {
			d.Set("k"+strconv.Itoa(i), i)
		}
		// Odd rounds keep growth at load factor 1, so tables grow (and
		// rehash) mid-scan often; shrinking only happens on request.
		d.SetResizeAllowed(round%2 == 1)
		seen := map[string]bool{}
		next := n
		cursor := uint64(0)
		for {
			cursor = d.Scan(cursor, func(k string, _ int) {
				if seen[k] {
					t.Fatalf("round %d: %q returned twice", round, k)
				}
				seen[k] = true
			})
			if cursor == 0 {
				break
			}
			// Every key present now: visited exactly when Scan returned it.
			d.Range(func(k string, _ int) bool {
				if got := d.ScanVisited(cursor, k); got != seen[k] {
					t.Fatalf("round %d: ScanVisited(%d, %q) = %v, Scan returned it: %v", round, cursor, k, got, seen[k])
				}
				return true
			})
			// Mutate between calls: a key added behind the cursor must
			// never be returned ("returned twice" above).
			for j := rng.IntN(4); j > 0; j-- {
				k := "k" + strconv.Itoa(next)
				next++
				d.Set(k, 0)
				if d.ScanVisited(cursor, k) {
					seen[k] = true // behind the cursor: Scan must not return it
				}
			}
			for j := rng.IntN(3); j > 0; j-- {
				d.Delete("k" + strconv.Itoa(rng.IntN(next)))
			}
		}
	}
}
