package integration

// The GEO differential test sends one seeded random stream of GEO commands
// to a real redis-server and to Ferrite, in RESP2 and RESP3, and compares
// every reply byte for byte (unsorted search results included: both walk
// the same nine geohash cells in the same order), with
// zset-max-listpack-entries 16 so indexes live in both encodings.
//
//	SEED=123 GEO_DIFF_OPS=20000 go test ./integration -run TestGeoDifferential -v
//
// Points cluster around a few centres (so searches find many), spread over
// the globe, and sit on the edges: the poles' latitude limits and the
// antimeridian.

import (
	"strconv"
	"strings"
	"testing"
)

var (
	geoDiffKeys    = []string{"g0", "g1", "g2"}
	geoDiffUnits   = []string{"m", "km", "ft", "mi", "KM", "M"}
	geoDiffCentres = [][2]float64{{13.361389, 38.115556}, {15.087269, 37.502669}, {-179.9, 0}, {179.95, 84.9}, {0, -85}, {-73.98, 40.75}}
)

func TestGeoDifferential(t *testing.T) {
	forEachDiffProto(t, "GEO_DIFF_OPS", 3000, func(t *testing.T, seed int64, ops, proto int) {
		red, fer := startRedis(t), startFerrite(t)
		d := &geoDiff{&setDiff{newDiffBase(t, seed, proto, red, fer, []string{"FLUSHALL"},
			[]string{"CONFIG", "SET", "zset-max-listpack-entries", "16"}, []string{"SET", "str", "x"})}}
		for i := 0; i < ops; i++ {
			d.i = i
			d.step()
		}
		for _, k := range append(geoDiffKeys, "dst") {
			d.check([]string{"ZRANGE", k, "0", "-1", "WITHSCORES"}, nil)
		}
	})
}

type geoDiff struct {
	*setDiff
}

func (d *geoDiff) gkey() string {
	switch n := d.r.Intn(30); {
	case n == 0:
		return "str"
	case n == 1:
		return "nokey"
	default:
		return d.pick(geoDiffKeys...)
	}
}

func (d *geoDiff) member() string { return "m" + strconv.Itoa(d.r.Intn(60)) }

func fmtCoord(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// point is a position near a centre, anywhere, or on an edge.
func (d *geoDiff) point() []string {
	var x, y float64
	switch d.r.Intn(10) {
	case 0:
		x, y = d.r.Float64()*360-180, d.r.Float64()*170.1-85.05
	case 2:
		// Equal positions tie on distance: the sort orders must agree.
		return strings.Fields(d.pick("13.36 38.11", "13.37 38.12", "13.35 38.1"))
	case 1:
		return s(d.pick("-180", "180", "0", "179.999999"), d.pick("85.05112878", "-85.05112878", "0", "85"))
	default:
		c := geoDiffCentres[d.r.Intn(len(geoDiffCentres))]
		spread := []float64{0.001, 0.05, 1, 5}[d.r.Intn(4)]
		x = c[0] + (d.r.Float64()*2-1)*spread
		y = c[1] + (d.r.Float64()*2-1)*spread
		x = min(max(x, -180), 180)
		y = min(max(y, -85.05112878), 85.05112878)
	}
	return s(fmtCoord(x), fmtCoord(y))
}

func (d *geoDiff) radius() []string {
	r := []string{"0", "1", "100", "1000", "5000", "50000", "200", "20", "500", "3000", "10000", "12.5"}[d.r.Intn(12)]
	return s(r, d.pick(geoDiffUnits...))
}

func (d *geoDiff) options(store bool) []string {
	var out []string
	if d.r.Intn(2) == 0 {
		out = append(out, "WITHDIST")
	}
	if d.r.Intn(3) == 0 {
		out = append(out, "WITHCOORD")
	}
	if d.r.Intn(4) == 0 {
		out = append(out, "WITHHASH")
	}
	if d.r.Intn(3) == 0 {
		out = append(out, "COUNT", strconv.Itoa(1+d.r.Intn(8)))
		if d.r.Intn(3) == 0 {
			out = append(out, "ANY")
		}
	}
	if n := d.r.Intn(3); n > 0 {
		out = append(out, []string{"", "ASC", "DESC"}[n])
	}
	d.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if store && d.r.Intn(3) == 0 {
		out = append(out, d.pick("STORE", "STOREDIST"), "dst")
	}
	return out
}

func (d *geoDiff) step() {
	switch n := d.r.Intn(100); {
	case n < 30:
		args := s("GEOADD", d.gkey())
		if d.r.Intn(5) == 0 {
			args = append(args, d.pick("NX", "XX", "CH"))
		}
		for k := 1 + d.r.Intn(4); k > 0; k-- {
			args = append(append(args, d.point()...), d.member())
		}
		d.check(args, nil)
	case n < 33:
		d.check(s("ZADD", d.pick(geoDiffKeys...), d.pick("-1", "4503599627370496", "1e20", "123", "0", "inf", "-inf", "1.5"), d.member()), nil)
	case n < 36:
		d.check(s("ZREM", d.pick(geoDiffKeys...), d.member()), nil)
	case n < 42:
		d.check(cat(s("GEOPOS", d.gkey()), []string{d.member(), d.member()}), nil)
	case n < 48:
		d.check(cat(s("GEOHASH", d.gkey()), []string{d.member(), d.member()}), nil)
	case n < 54:
		args := s("GEODIST", d.gkey(), d.member(), d.member())
		if d.r.Intn(2) == 0 {
			args = append(args, d.pick(geoDiffUnits...))
		}
		d.check(args, nil)
	case n < 68:
		cmd, dst := d.pick("GEOSEARCH", "GEOSEARCHSTORE"), []string(nil)
		if cmd == "GEOSEARCHSTORE" {
			dst = s("dst")
		}
		args := cat(s(cmd), dst, s(d.gkey()))
		if d.r.Intn(2) == 0 {
			args = append(args, "FROMMEMBER", d.member())
		} else {
			args = append(append(args, "FROMLONLAT"), d.point()...)
		}
		if d.r.Intn(2) == 0 {
			args = append(args, "BYRADIUS")
			args = append(args, d.radius()...)
		} else {
			w := d.radius()
			args = append(args, "BYBOX", w[0], d.radius()[0], w[1])
		}
		opts := d.options(false)
		if dst != nil {
			opts = nil
			if d.r.Intn(2) == 0 {
				opts = append(opts, "STOREDIST")
			}
			if d.r.Intn(2) == 0 {
				opts = append(opts, "COUNT", strconv.Itoa(1+d.r.Intn(5)))
			}
			if d.r.Intn(2) == 0 {
				opts = append(opts, d.pick("ASC", "DESC"))
			}
		}
		d.check(append(args, opts...), nil)
		if dst != nil {
			d.check(s("ZRANGE", "dst", "0", "-1", "WITHSCORES"), nil)
		}
	case n < 80:
		cmd := d.pick("GEORADIUS", "GEORADIUS_RO")
		args := cat(s(cmd, d.gkey()), d.point(), d.radius(), d.options(cmd == "GEORADIUS"))
		d.check(args, nil)
	case n < 92:
		cmd := d.pick("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO")
		args := cat(s(cmd, d.gkey(), d.member()), d.radius(), d.options(cmd == "GEORADIUSBYMEMBER"))
		d.check(args, nil)
	default:
		d.check(s("OBJECT", "ENCODING", d.pick(geoDiffKeys...)), nil)
	}
}
