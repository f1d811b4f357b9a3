package server

import (
	"math"
	"math/bits"
	"time"
)

// histogram records command latencies for INFO latencystats. Buckets are
// powers of two in nanoseconds, each split into 16 linear sub-buckets, so a
// percentile is exact to about 6% (HdrHistogram-like, as Redis uses).
// The buckets (4KB) are allocated at the first sample, as Redis allocates
// a command's hdr_histogram at its first call: most of the ~380 commands
// and subcommands are never called.
type histogram struct {
	counts *[64 * 16]uint32
	total  uint64
}

func (h *histogram) record(d time.Duration) {
	ns := uint64(d)
	if ns == 0 {
		ns = 1
	}
	if h.counts == nil {
		h.counts = new([64 * 16]uint32)
	}
	h.counts[bucketOf(ns)]++
	h.total++
}

func bucketOf(ns uint64) int {
	e := 63 - bits.LeadingZeros64(ns)
	if e < 4 {
		return int(ns) // exact below 16ns
	}
	sub := (ns >> (e - 4)) & 15
	return e*16 + int(sub)
}

// bucketValue is the upper bound of bucket b in nanoseconds.
func bucketValue(b int) uint64 {
	e, sub := b/16, uint64(b%16)
	if e < 4 {
		return uint64(b)
	}
	return (16 + sub + 1) << (e - 4)
}

// percentile returns the p-th percentile (0..100) in microseconds.
func (h *histogram) percentile(p float64) float64 {
	if h.counts == nil || h.total == 0 {
		return 0
	}
	want := uint64(math.Ceil(p / 100 * float64(h.total)))
	if want == 0 {
		want = 1
	}
	var seen uint64
	for b, n := range h.counts {
		seen += uint64(n)
		if seen >= want {
			return float64(bucketValue(b)) / 1000
		}
	}
	return 0
}

func (h *histogram) reset() { *h = histogram{} }

// eachPowerOfTwo walks the histogram as Redis's LATENCY HISTOGRAM walks
// its hdr_histogram (hdr_iter_log from 1024 ns, base 2): for each bound
// 1024·2^k ns it calls fn with the bound's label in microseconds (what
// hdr reports for it: the highest value equivalent to the bound at two
// significant digits, so 1, 2, 4, 8, 16, 33, 66, 132, ...) and the number
// of samples below the bound, skipping bounds that add no sample and
// stopping after the last sample.
func (h *histogram) eachPowerOfTwo(fn func(usec int64, cumulative uint64)) {
	if h.counts == nil || h.total == 0 {
		return
	}
	var seen, reported uint64
	b := 0
	for bound := uint64(1024); ; bound *= 2 {
		for b < len(h.counts) && bucketValue(b) <= bound {
			seen += uint64(h.counts[b])
			b++
		}
		if seen > reported {
			fn(int64((bound+bound/128-1)/1000), seen)
			reported = seen
		}
		if seen >= h.total || bound >= 1<<62 {
			return
		}
	}
}
