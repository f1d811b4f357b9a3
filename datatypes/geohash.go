package datatypes

import "math"

// Geohash math of Redis's geohash.c and geohash_helper.c. A position is a
// 52-bit integer (26 bits per axis) interleaving latitude bits (even
// positions) with longitude bits (odd positions), over the Web Mercator
// latitude range ±85.05112878 rather than ±90; GEO commands store it as a
// sorted set score. Every floating point step is written in the order C
// evaluates it, so results match Redis to the last bit (products are
// wrapped in float64() so no platform fuses them into an FMA).

const (
	GeoStepMax = 26 // 26*2 = 52 bits, exactly representable in a double
	GeoLatMin  = -85.05112878
	GeoLatMax  = 85.05112878
	GeoLongMin = -180.0
	GeoLongMax = 180.0

	// EarthRadiusMeters is the Earth's quadratic mean radius for WGS-84.
	EarthRadiusMeters = 6372797.560856
	mercatorMax       = 20037726.37
)

// dR is C's M_PI / 180.0 computed in double precision (a Go constant
// expression would round once from the exact value and can differ by an
// ulp).
var dR = func() float64 { pi := math.Pi; return pi / 180.0 }()

func degRad(ang float64) float64 { return float64(ang * dR) }
func radDeg(ang float64) float64 { return ang / dR }

// GeoHashBits is a hash of Step bits per axis.
type GeoHashBits struct {
	Bits uint64
	Step uint8
}

// IsZero is HASHISZERO: a neighbour excluded from a search.
func (h GeoHashBits) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

type GeoHashRange struct{ Min, Max float64 }

// GeoHashArea is the cell a hash designates.
type GeoHashArea struct {
	Hash                GeoHashBits
	Longitude, Latitude GeoHashRange
}

// GeoHashNeighbors are the eight cells around one, of the same step.
type GeoHashNeighbors struct {
	North, East, West, South                   GeoHashBits
	NorthEast, SouthEast, NorthWest, SouthWest GeoHashBits
}

var (
	geoLongRange = GeoHashRange{GeoLongMin, GeoLongMax}
	geoLatRange  = GeoHashRange{GeoLatMin, GeoLatMax}
)

func interleave64(xlo, ylo uint32) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF}
	s := [...]uint{1, 2, 4, 8, 16}
	x, y := uint64(xlo), uint64(ylo)
	for i := 4; i >= 0; i-- {
		x = (x | x<<s[i]) & b[i]
		y = (y | y<<s[i]) & b[i]
	}
	return x | y<<1
}

func deinterleave64(interleaved uint64) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF}
	s := [...]uint{0, 1, 2, 4, 8, 16}
	x, y := interleaved, interleaved>>1
	for i := range 6 {
		x = (x | x>>s[i]) & b[i]
		y = (y | y>>s[i]) & b[i]
	}
	return x | y<<32
}

// GeohashEncode is geohashEncode: false when the point is outside the
// supported coordinates or the given ranges.
func GeohashEncode(longRange, latRange GeoHashRange, longitude, latitude float64, step uint8) (GeoHashBits, bool) {
	if step > 32 || step == 0 {
		return GeoHashBits{}, false
	}
	if longitude > GeoLongMax || longitude < GeoLongMin || latitude > GeoLatMax || latitude < GeoLatMin {
		return GeoHashBits{}, false
	}
	h := GeoHashBits{Step: step}
	if latitude < latRange.Min || latitude > latRange.Max || longitude < longRange.Min || longitude > longRange.Max {
		return h, false
	}
	latOffset := (latitude - latRange.Min) / (latRange.Max - latRange.Min)
	longOffset := (longitude - longRange.Min) / (longRange.Max - longRange.Min)
	latOffset = float64(latOffset * float64(uint64(1)<<step))
	longOffset = float64(longOffset * float64(uint64(1)<<step))
	h.Bits = interleave64(cUint32(latOffset), cUint32(longOffset))
	return h, true
}

// cUint32 is C's (uint32_t) conversion of a non-negative double as x86-64
// compiles it (through a 64-bit integer, keeping the low 32 bits).
func cUint32(d float64) uint32 { return uint32(CUint64(d)) }

// CUint64 is C's (uint64_t) conversion of a double as gcc compiles it on
// x86-64 (cvttsd2si, with 2^63 subtracted first for large values), which
// is what Redis applies to any sorted set score it decodes as a position.
func CUint64(d float64) uint64 {
	const two63 = 9223372036854775808.0
	if d >= two63 {
		return cvttsd2si(d-two63) ^ (1 << 63)
	}
	return cvttsd2si(d)
}

func cvttsd2si(d float64) uint64 {
	if math.IsNaN(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0 {
		return 1 << 63
	}
	return uint64(int64(d))
}

// GeohashEncodeWGS84 encodes with the ranges GEO commands use.
func GeohashEncodeWGS84(longitude, latitude float64, step uint8) (GeoHashBits, bool) {
	return GeohashEncode(geoLongRange, geoLatRange, longitude, latitude, step)
}

// GeohashDecode is geohashDecode: the cell of hash within the ranges.
func GeohashDecode(longRange, latRange GeoHashRange, hash GeoHashBits) (GeoHashArea, bool) {
	if hash.IsZero() {
		return GeoHashArea{}, false
	}
	a := GeoHashArea{Hash: hash}
	sep := deinterleave64(hash.Bits)
	latScale := latRange.Max - latRange.Min
	longScale := longRange.Max - longRange.Min
	ilato := uint32(sep)
	ilono := uint32(sep >> 32)
	div := float64(uint64(1) << hash.Step)
	a.Latitude.Min = latRange.Min + float64(float64(ilato)/div*latScale)
	a.Latitude.Max = latRange.Min + float64((float64(uint64(ilato)+1)/div)*latScale)
	a.Longitude.Min = longRange.Min + float64(float64(ilono)/div*longScale)
	a.Longitude.Max = longRange.Min + float64((float64(uint64(ilono)+1)/div)*longScale)
	return a, true
}

// GeohashDecodeWGS84 decodes with the ranges GEO commands use.
func GeohashDecodeWGS84(hash GeoHashBits) (GeoHashArea, bool) {
	return GeohashDecode(geoLongRange, geoLatRange, hash)
}

// LongLat is the centre of the area, clamped to the supported range.
func (a *GeoHashArea) LongLat() (float64, float64) {
	x := (a.Longitude.Min + a.Longitude.Max) / 2
	x = min(max(x, GeoLongMin), GeoLongMax)
	y := (a.Latitude.Min + a.Latitude.Max) / 2
	y = min(max(y, GeoLatMin), GeoLatMax)
	return x, y
}

// DecodeGeoScore is geo.c's decodeGeohash: the position a sorted set score
// designates (any score decodes to something).
func DecodeGeoScore(score float64) (longitude, latitude float64) {
	a, _ := GeohashDecodeWGS84(GeoHashBits{Bits: CUint64(score), Step: GeoStepMax})
	return a.LongLat()
}

func geohashMoveX(h *GeoHashBits, d int) {
	if d == 0 {
		return
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - uint(h.Step)*2)
	if d > 0 {
		x = x + (zz + 1)
	} else {
		x = x | zz
		x = x - (zz + 1)
	}
	x &= uint64(0xaaaaaaaaaaaaaaaa) >> (64 - uint(h.Step)*2)
	h.Bits = x | y
}

func geohashMoveY(h *GeoHashBits, d int) {
	if d == 0 {
		return
	}
	x := h.Bits & 0xaaaaaaaaaaaaaaaa
	y := h.Bits & 0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - uint(h.Step)*2)
	if d > 0 {
		y = y + (zz + 1)
	} else {
		y = y | zz
		y = y - (zz + 1)
	}
	y &= uint64(0x5555555555555555) >> (64 - uint(h.Step)*2)
	h.Bits = x | y
}

func moved(h GeoHashBits, dx, dy int) GeoHashBits {
	geohashMoveX(&h, dx)
	geohashMoveY(&h, dy)
	return h
}

// GeohashNeighbors is geohashNeighbors (wrapping around the antimeridian).
func GeohashNeighbors(h GeoHashBits) GeoHashNeighbors {
	return GeoHashNeighbors{
		East: moved(h, 1, 0), West: moved(h, -1, 0),
		South: moved(h, 0, -1), North: moved(h, 0, 1),
		NorthWest: moved(h, -1, 1), NorthEast: moved(h, 1, 1),
		SouthEast: moved(h, 1, -1), SouthWest: moved(h, -1, -1),
	}
}

// GeohashAlign52Bits left-aligns a hash to 52 bits (a sorted set score).
func GeohashAlign52Bits(h GeoHashBits) uint64 {
	return h.Bits << (52 - uint(h.Step)*2)
}

// GeohashEstimateStepsByRadius is the step of the 9 cells searched for a
// radius (meters) around a latitude.
func GeohashEstimateStepsByRadius(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2 // make sure range is included in most of the base cases
	// Wider range towards the poles.
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// GeoShapeType tells a radius search from a box search.
type GeoShapeType int

const (
	GeoCircular GeoShapeType = iota + 1
	GeoRectangle
)

// GeoShape is a search area: a centre, a radius or a width and height in
// some unit, and Conversion, that unit in meters.
type GeoShape struct {
	Type                  GeoShapeType
	Long, Lat             float64
	Conversion            float64
	Radius, Width, Height float64
	Bounds                [4]float64 // min long, min lat, max long, max lat
}

// GeohashBoundingBox is geohashBoundingBox: longitudes spread more on the
// pole side of the centre, so the box takes its width there.
func GeohashBoundingBox(s *GeoShape) [4]float64 {
	var height, width float64
	if s.Type == GeoCircular {
		height = float64(s.Conversion * s.Radius)
		width = height
	} else {
		height = float64(s.Conversion * (s.Height / 2))
		width = float64(s.Conversion * (s.Width / 2))
	}
	latDelta := radDeg(height / EarthRadiusMeters)
	longDeltaTop := radDeg(width / EarthRadiusMeters / geoCos(degRad(s.Lat+latDelta)))
	longDeltaBottom := radDeg(width / EarthRadiusMeters / geoCos(degRad(s.Lat-latDelta)))
	var b [4]float64
	if s.Lat < 0 {
		b[0], b[2] = s.Long-longDeltaBottom, s.Long+longDeltaBottom
	} else {
		b[0], b[2] = s.Long-longDeltaTop, s.Long+longDeltaTop
	}
	b[1] = s.Lat - latDelta
	b[3] = s.Lat + latDelta
	return b
}

// GeoHashRadius is the centre cell and the neighbours (zeroed when
// useless) covering a search.
type GeoHashRadius struct {
	Hash      GeoHashBits
	Area      GeoHashArea
	Neighbors GeoHashNeighbors
}

// GeohashCalculateAreasByShapeWGS84 is geohashCalculateAreasByShapeWGS84;
// it also fills s.Bounds.
func GeohashCalculateAreasByShapeWGS84(s *GeoShape) GeoHashRadius {
	s.Bounds = GeohashBoundingBox(s)
	minLon, minLat, maxLon, maxLat := s.Bounds[0], s.Bounds[1], s.Bounds[2], s.Bounds[3]
	var radiusMeters float64
	if s.Type == GeoCircular {
		radiusMeters = s.Radius
	} else {
		radiusMeters = math.Sqrt(float64((s.Width/2)*(s.Width/2)) + float64((s.Height/2)*(s.Height/2)))
	}
	radiusMeters = float64(radiusMeters * s.Conversion)

	steps := GeohashEstimateStepsByRadius(radiusMeters, s.Lat)
	encode := func() (GeoHashBits, GeoHashNeighbors, GeoHashArea) {
		h, _ := GeohashEncodeWGS84(s.Long, s.Lat, steps)
		h.Step = steps
		a, _ := GeohashDecodeWGS84(h)
		return h, GeohashNeighbors(h), a
	}
	hash, nb, area := encode()

	// The estimated step may leave the search area poking out of the
	// neighbours when the centre lies near an edge of its cell.
	north, _ := GeohashDecodeWGS84(nb.North)
	south, _ := GeohashDecodeWGS84(nb.South)
	east, _ := GeohashDecodeWGS84(nb.East)
	west, _ := GeohashDecodeWGS84(nb.West)
	decrease := north.Latitude.Max < maxLat || south.Latitude.Min > minLat ||
		east.Longitude.Max < maxLon || west.Longitude.Min > minLon
	if steps > 1 && decrease {
		steps--
		hash, nb, area = encode()
	}

	// Exclude the neighbours the search area does not reach.
	if steps >= 2 {
		if area.Latitude.Min < minLat {
			nb.South, nb.SouthWest, nb.SouthEast = GeoHashBits{}, GeoHashBits{}, GeoHashBits{}
		}
		if area.Latitude.Max > maxLat {
			nb.North, nb.NorthEast, nb.NorthWest = GeoHashBits{}, GeoHashBits{}, GeoHashBits{}
		}
		if area.Longitude.Min < minLon {
			nb.West, nb.SouthWest, nb.NorthWest = GeoHashBits{}, GeoHashBits{}, GeoHashBits{}
		}
		if area.Longitude.Max > maxLon {
			nb.East, nb.SouthEast, nb.NorthEast = GeoHashBits{}, GeoHashBits{}, GeoHashBits{}
		}
	}
	return GeoHashRadius{Hash: hash, Area: area, Neighbors: nb}
}

// GeohashGetLatDistance is the distance along a meridian.
func GeohashGetLatDistance(lat1d, lat2d float64) float64 {
	return float64(EarthRadiusMeters * math.Abs(degRad(lat2d)-degRad(lat1d)))
}

// GeohashGetDistance is the haversine great circle distance in meters.
func GeohashGetDistance(lon1d, lat1d, lon2d, lat2d float64) float64 {
	lon1r, lon2r := degRad(lon1d), degRad(lon2d)
	v := geoSin((lon2r - lon1r) / 2)
	if v == 0 {
		return GeohashGetLatDistance(lat1d, lat2d)
	}
	lat1r, lat2r := degRad(lat1d), degRad(lat2d)
	u := geoSin((lat2r - lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(geoCos(lat1r)*geoCos(lat2r))*v)*v)
	return float64(2.0*EarthRadiusMeters) * geoAsin(math.Sqrt(a))
}

// GeohashGetDistanceIfInRectangle is the distance from the centre (x1,y1)
// of a width x height box to (x2,y2), and whether the point is in it.
func GeohashGetDistanceIfInRectangle(widthM, heightM, x1, y1, x2, y2 float64) (float64, bool) {
	if GeohashGetLatDistance(y2, y1) > heightM/2 {
		return 0, false
	}
	if GeohashGetDistance(x2, y2, x1, y2) > widthM/2 {
		return 0, false
	}
	return GeohashGetDistance(x1, y1, x2, y2), true
}

// --- sin, cos, asin as C computes them ---
//
// Distances are replied with up to 17 digits (STOREDIST scores), so an ulp
// matters. Go's math.Sin/Cos/Asin are often an ulp away from glibc's,
// which Redis uses. With cgo the C library's own functions are called
// (geomath_libm.go); without, these evaluate in double-double precision
// and round once: correctly rounded, which glibc is in all but about one
// case in a thousand (near-ties it rounds the other way).

type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	p := twoProd(q1, b)
	s := twoSum(a.hi, -p.hi)
	s.lo -= p.lo
	s.lo += a.lo
	return quickTwoSum(q1, (s.hi+s.lo)/b)
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

// sincosDD is sin(x) and cos(x) in double-double, for |x| up to 1e6.
func sincosDD(x float64) (dd, dd) {
	const p1, p2, p3 = 1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33
	k := math.Round(x / p1)
	r := twoSum(x, -twoProd(k, p1).hi)
	r = ddAdd(r, ddNeg(dd{0, twoProd(k, p1).lo}))
	r = ddAdd(r, ddNeg(twoProd(k, p2)))
	r = ddAdd(r, dd{-k * p3, 0})
	r2 := ddMul(r, r)
	s, term := r, r
	for n := 1.0; n < 40; n += 2 {
		term = ddNeg(ddDivF(ddMul(term, r2), (n+1)*(n+2)))
		s = ddAdd(s, term)
		if math.Abs(term.hi) < 1e-36 {
			break
		}
	}
	c, term := dd{1, 0}, dd{1, 0}
	for n := 0.0; n < 40; n += 2 {
		term = ddNeg(ddDivF(ddMul(term, r2), (n+1)*(n+2)))
		c = ddAdd(c, term)
		if math.Abs(term.hi) < 1e-36 {
			break
		}
	}
	switch int64(k) & 3 {
	case 1:
		return c, ddNeg(s)
	case 2:
		return ddNeg(s), ddNeg(c)
	case 3:
		return ddNeg(c), s
	}
	return s, c
}

func crSin(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 || x == 0 {
		return math.Sin(x)
	}
	s, _ := sincosDD(x)
	return s.hi + s.lo
}

func crCos(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1e6 {
		return math.Cos(x)
	}
	_, c := sincosDD(x)
	return c.hi + c.lo
}

// crAsin refines math.Asin by one Newton step in double-double.
func crAsin(x float64) float64 {
	y := math.Asin(x)
	if math.IsNaN(y) || x == 0 {
		return y
	}
	s, c := sincosDD(y)
	if c.hi == 0 {
		return y
	}
	delta := ddDivF(ddAdd(dd{x, 0}, ddNeg(s)), c.hi)
	r := twoSum(y, delta.hi)
	return r.hi + (r.lo + delta.lo)
}
