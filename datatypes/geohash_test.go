package datatypes

import (
	"math"
	"testing"
)

// Values recorded from redis-server 7.0.15 (GEOADD's ZSCORE, GEOPOS,
// GEODIST of the documentation's Sicily example).
func TestGeohashEncodeDecode(t *testing.T) {
	for _, tc := range []struct {
		long, lat  float64
		score      uint64
		decX, decY float64
	}{
		{13.361389, 38.115556, 3479099956230698, 13.36138933897018433, 38.11555639549629859},
		{15.087269, 37.502669, 3479447370796909, 15.08726745843887329, 37.50266842333162032},
		{13.5, 38.1, 3479100566894653, 0, 0},
	} {
		h, ok := GeohashEncodeWGS84(tc.long, tc.lat, GeoStepMax)
		if !ok || GeohashAlign52Bits(h) != tc.score {
			t.Errorf("encode(%v,%v) = %d, %v; want %d", tc.long, tc.lat, GeohashAlign52Bits(h), ok, tc.score)
		}
		if tc.decX == 0 {
			continue
		}
		x, y := DecodeGeoScore(float64(tc.score))
		if math.Abs(x-tc.decX) > 1e-14 || math.Abs(y-tc.decY) > 1e-14 {
			t.Errorf("decode(%d) = %v,%v; want %v,%v", tc.score, x, y, tc.decX, tc.decY)
		}
	}
	if _, ok := GeohashEncodeWGS84(181, 0, GeoStepMax); ok {
		t.Error("encoding longitude 181 succeeded")
	}
	if _, ok := GeohashEncodeWGS84(0, 85.06, GeoStepMax); ok {
		t.Error("encoding latitude 85.06 succeeded")
	}
}

func TestGeohashDistance(t *testing.T) {
	d := GeohashGetDistance(13.36138933897018433, 38.11555639549629859, 15.08726745843887329, 37.50266842333162032)
	if got := math.Round(d*1e4) / 1e4; got != 166274.1516 {
		t.Errorf("Palermo-Catania = %.4f, want 166274.1516", d)
	}
	// Same longitude: the meridian shortcut.
	if d := GeohashGetDistance(10, 0, 10, 1); math.Abs(d-EarthRadiusMeters*math.Pi/180) > 1e-6 {
		t.Errorf("one degree of latitude = %v", d)
	}
	if _, ok := GeohashGetDistanceIfInRectangle(1000, 1000, 0, 0, 0, 0.01); ok {
		t.Error("a point 1.1 km north is inside a 1 km box")
	}
	if d, ok := GeohashGetDistanceIfInRectangle(3000, 3000, 0, 0, 0.01, 0.01); !ok || d < 1500 {
		t.Errorf("corner point: %v, %v", d, ok)
	}
}

func TestGeohashEstimateSteps(t *testing.T) {
	for _, tc := range []struct {
		r, lat float64
		want   uint8
	}{
		{0, 0, 26}, {1, 0, 24}, {1000, 0, 14}, {1000, 70, 13}, {1000, -81, 12},
		{5000000, 0, 2}, {2e7, 0, 1}, {1e9, 0, 1}, {math.Inf(1), 0, 1},
	} {
		if got := GeohashEstimateStepsByRadius(tc.r, tc.lat); got != tc.want {
			t.Errorf("steps(%v, %v) = %d, want %d", tc.r, tc.lat, got, tc.want)
		}
	}
}

func TestGeohashNeighbors(t *testing.T) {
	h, _ := GeohashEncodeWGS84(179.99, 0.5, 4)
	n := GeohashNeighbors(h)
	east, _ := GeohashDecodeWGS84(n.East)
	if east.Longitude.Min != -180 {
		t.Errorf("east of the antimeridian cell starts at %v, want -180", east.Longitude.Min)
	}
	c, _ := GeohashDecodeWGS84(h)
	north, _ := GeohashDecodeWGS84(n.North)
	if north.Latitude.Min != c.Latitude.Max || north.Longitude != c.Longitude {
		t.Errorf("north cell %+v does not sit on %+v", north, c)
	}
	sw, _ := GeohashDecodeWGS84(n.SouthWest)
	if sw.Latitude.Max != c.Latitude.Min || sw.Longitude.Max != c.Longitude.Min {
		t.Errorf("south-west cell %+v does not touch %+v", sw, c)
	}
}

// CUint64 follows x86-64's conversion, including for scores GEOADD never
// writes (Redis decodes any score).
func TestCUint64(t *testing.T) {
	for _, tc := range []struct {
		d    float64
		want uint64
	}{
		{0, 0}, {4503599627370495, 4503599627370495}, {-1, math.MaxUint64}, {1e20, 0}, // what gcc's conversion yields beyond 2^64
		{9223372036854775808, 1 << 63}, {math.Inf(1), 0}, {math.Inf(-1), 1 << 63},
	} {
		if got := CUint64(tc.d); got != tc.want {
			t.Errorf("CUint64(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

// The double-double sin, cos and asin are correctly rounded: within the
// few ulps of error of Go's own functions, and exact on known values.
func TestCorrectlyRoundedTrig(t *testing.T) {
	ulp := func(x float64) float64 { return math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x) }
	for i := 0; i < 20000; i++ {
		x := (float64(i)/20000*2 - 1) * 3 // Go's sin loses ulps near ±π
		if d := math.Abs(crSin(x) - math.Sin(x)); d > ulp(math.Sin(x)) {
			t.Fatalf("sin(%v): %v vs %v", x, crSin(x), math.Sin(x))
		}
		if d := math.Abs(crCos(x) - math.Cos(x)); d > ulp(math.Cos(x)) {
			t.Fatalf("cos(%v): %v vs %v", x, crCos(x), math.Cos(x))
		}
		a := float64(i) / 20000
		if d := math.Abs(crAsin(a) - math.Asin(a)); d > 64*ulp(math.Asin(a)) {
			t.Fatalf("asin(%v): %v vs %v", a, crAsin(a), math.Asin(a))
		}
	}
	// A value glibc and Go's math.Sin round differently: the exact sine of
	// 0.5 is 0.4794255386042030002732879352...
	if got := crSin(0.5); got != 0.479425538604203 {
		t.Errorf("sin(0.5) = %v", got)
	}
	// asin(0.2431) = 0.24556044986607264295...; Go's math.Asin is 2 ulps off.
	if got := crAsin(0.2431); got != 0.24556044986607264 {
		t.Errorf("asin(0.2431) = %v", got)
	}
	// Near 1 Go's math.Asin is 5 ulps off.
	if got := crAsin(0.99975); got != 1.5484351811461987 {
		t.Errorf("asin(0.99975) = %v", got)
	}
	// sin(π rounded to a double) = 1.2246467991473531772e-16.
	if got := crSin(math.Pi); got != 1.2246467991473532e-16 {
		t.Errorf("sin(pi) = %v", got)
	}
}
