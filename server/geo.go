package server

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"ferrite/datatypes"
)

// The GEO family, as Redis 7.0's geo.c: a geospatial index is a sorted set
// whose scores are 52-bit geohashes (datatypes/geohash.go). GEOADD is ZADD
// with computed scores (and propagates as that ZADD); searches range the
// sorted set by score over the cell containing the centre and its eight
// neighbours, in Redis's fixed order, then filter by exact distance, so
// unsorted results come out in Redis's order too.

var geoCommands = map[string]cmdProc{
	"geoadd":               geoaddCommand,
	"geopos":               geoposCommand,
	"geodist":              geodistCommand,
	"geohash":              geohashCommand,
	"georadius":            georadiusCommand,
	"georadius_ro":         georadiusroCommand,
	"georadiusbymember":    georadiusbymemberCommand,
	"georadiusbymember_ro": georadiusbymemberroCommand,
	"geosearch":            geosearchCommand,
	"geosearchstore":       geosearchstoreCommand,
}

// --- helpers ---

// geoPoint is one search result.
type geoPoint struct {
	long, lat, dist, score float64
	member                 string
}

// cfmtF is C's "%f" (Go spells infinities differently).
func cfmtF(d float64) string {
	switch {
	case math.IsInf(d, 1):
		return "inf"
	case math.IsInf(d, -1):
		return "-inf"
	}
	return strconv.FormatFloat(d, 'f', 6, 64)
}

// extractLongLat is extractLongLatOrReply over argv[0] (longitude) and
// argv[1] (latitude).
func extractLongLat(c *client, argv [][]byte) (float64, float64, bool) {
	var xy [2]float64
	for i := range xy {
		f, ok := parseScore(argv[i])
		if !ok {
			c.addError(errNotFloat)
			return 0, 0, false
		}
		xy[i] = f
	}
	if xy[0] < datatypes.GeoLongMin || xy[0] > datatypes.GeoLongMax ||
		xy[1] < datatypes.GeoLatMin || xy[1] > datatypes.GeoLatMax {
		c.addErrorString("ERR invalid longitude,latitude pair " + cfmtF(xy[0]) + "," + cfmtF(xy[1]))
		return 0, 0, false
	}
	return xy[0], xy[1], true
}

// longLatFromMember decodes a member's position.
func longLatFromMember(o *datatypes.Object, member []byte) (float64, float64, bool) {
	score, ok := zsetScore(o, unsafeString(member))
	if !ok {
		return 0, 0, false
	}
	x, y := datatypes.DecodeGeoScore(score)
	return x, y, true
}

// extractUnit is extractUnitOrReply: meters per unit, or -1 after an
// error reply.
func extractUnit(c *client, unit []byte) float64 {
	switch strings.ToLower(string(unit)) {
	case "m":
		return 1
	case "km":
		return 1000
	case "ft":
		return 0.3048
	case "mi":
		return 1609.34
	}
	c.addErrorString("ERR unsupported unit provided. please use M, KM, FT, MI")
	return -1
}

// extractDistance is extractDistanceOrReply over "radius unit".
func extractDistance(c *client, argv [][]byte) (radius, conversion float64, ok bool) {
	d, ok := parseScore(argv[0])
	if !ok {
		c.addErrorString("ERR need numeric radius")
		return 0, 0, false
	}
	if d < 0 {
		c.addErrorString("ERR radius cannot be negative")
		return 0, 0, false
	}
	conv := extractUnit(c, argv[1])
	if conv < 0 {
		return 0, 0, false
	}
	return d, conv, true
}

// extractBox is extractBoxOrReply over "width height unit".
func extractBox(c *client, argv [][]byte) (width, height, conversion float64, ok bool) {
	w, ok := parseScore(argv[0])
	if !ok {
		c.addErrorString("ERR need numeric width")
		return 0, 0, 0, false
	}
	h, ok := parseScore(argv[1])
	if !ok {
		c.addErrorString("ERR need numeric height")
		return 0, 0, 0, false
	}
	if h < 0 || w < 0 {
		c.addErrorString("ERR height or width cannot be negative")
		return 0, 0, 0, false
	}
	conv := extractUnit(c, argv[2])
	if conv < 0 {
		return 0, 0, 0, false
	}
	return w, h, conv, true
}

// addDistance is addReplyDoubleDistance: 4 decimals are plenty.
func (c *client) addDistance(d float64) {
	c.addBulkString(strconv.FormatFloat(d, 'f', 4, 64))
}

// addHumanDouble is addReplyHumanLongDouble: "%.17Lf" with the trailing
// zeros cut, a bulk string in RESP2 and a double in RESP3.
func (c *client) addHumanDouble(d float64) {
	text := datatypes.AppendLongDoubleHuman(nil, big.NewFloat(d))
	if c.proto == 2 {
		c.addBulk(text)
		return
	}
	c.addRaw(append(append([]byte{','}, text...), '\r', '\n'))
}

// geoWithinShape is geoWithinShape: the point a score designates and its
// distance from the centre (meters), if it is inside the shape.
func geoWithinShape(s *datatypes.GeoShape, score float64) (x, y, dist float64, ok bool) {
	x, y = datatypes.DecodeGeoScore(score)
	if s.Type == datatypes.GeoCircular {
		dist = datatypes.GeohashGetDistance(s.Long, s.Lat, x, y)
		return x, y, dist, dist <= float64(s.Radius*s.Conversion)
	}
	dist, ok = datatypes.GeohashGetDistanceIfInRectangle(float64(s.Width*s.Conversion), float64(s.Height*s.Conversion),
		s.Long, s.Lat, x, y)
	return x, y, dist, ok
}

// geoMembersOfBox appends the elements of one cell inside the shape
// (geoGetPointsInRange over min <= score < max), stopping at limit
// results when limit > 0.
func geoMembersOfBox(o *datatypes.Object, h datatypes.GeoHashBits, s *datatypes.GeoShape, ga []geoPoint, limit int) []geoPoint {
	lo := datatypes.GeohashAlign52Bits(h)
	h.Bits++
	hi := datatypes.GeohashAlign52Bits(h)
	r := datatypes.RangeSpec{Min: float64(lo), Max: float64(hi), MaxEx: true}
	zsetRangeByScore(o, &r, false, 0, -1, func(m string, score float64) bool {
		if x, y, d, ok := geoWithinShape(s, score); ok {
			ga = append(ga, geoPoint{long: x, lat: y, dist: d, score: score, member: strings.Clone(m)})
		}
		return !(len(ga) > 0 && limit > 0 && len(ga) >= limit)
	})
	return ga
}

// geoMembersOfAllNeighbors is membersOfAllNeighbors: the centre cell, then
// N, S, E, W, NE, NW, SE, SW, skipping zeroed cells and a cell equal to
// the one searched just before (huge radii make neighbours coincide).
func geoMembersOfAllNeighbors(o *datatypes.Object, s *datatypes.GeoShape, limit int) []geoPoint {
	n := datatypes.GeohashCalculateAreasByShapeWGS84(s)
	cells := [9]datatypes.GeoHashBits{n.Hash, n.Neighbors.North, n.Neighbors.South, n.Neighbors.East,
		n.Neighbors.West, n.Neighbors.NorthEast, n.Neighbors.NorthWest, n.Neighbors.SouthEast, n.Neighbors.SouthWest}
	var ga []geoPoint
	last := 0
	for i, h := range cells {
		if h.IsZero() {
			continue
		}
		if last != 0 && h == cells[last] {
			continue
		}
		if len(ga) > 0 && limit > 0 && len(ga) >= limit {
			break
		}
		ga = geoMembersOfBox(o, h, s, ga, limit)
		last = i
	}
	return ga
}

// geoPqsort is Redis 7.0's pqsort (Bentley & McIlroy's qsort, recursing
// only into partitions overlapping elements lrange..rrange, and without
// the later "no swaps: switch to insertion sort" shortcut): when COUNT
// cuts the results, equal distances come out in its order, not a stable
// one.
func geoPqsort(a []geoPoint, cmp func(x, y *geoPoint) int, lrange, rrange int) {
	swap := func(i, j int) { a[i], a[j] = a[j], a[i] }
	vecswap := func(i, j, n int) {
		for k := 0; k < n; k++ {
			swap(i+k, j+k)
		}
	}
	med3 := func(x, y, z int) int {
		if cmp(&a[x], &a[y]) < 0 {
			if cmp(&a[y], &a[z]) < 0 {
				return y
			}
			if cmp(&a[x], &a[z]) < 0 {
				return z
			}
			return x
		}
		if cmp(&a[y], &a[z]) > 0 {
			return y
		}
		if cmp(&a[x], &a[z]) < 0 {
			return x
		}
		return z
	}
	insertion := func(base, n int) {
		for pm := base + 1; pm < base+n; pm++ {
			for pl := pm; pl > base && cmp(&a[pl-1], &a[pl]) > 0; pl-- {
				swap(pl, pl-1)
			}
		}
	}
	outside := func(start, count int) bool {
		return (lrange < start && rrange < start) || (lrange >= start+count && rrange >= start+count)
	}
	var rec func(base, n int)
	rec = func(base, n int) {
		for {
			if n < 7 {
				insertion(base, n)
				return
			}
			pm := base + n/2
			if n > 7 {
				pl, pn := base, base+n-1
				if n > 40 {
					d := n / 8
					pl = med3(pl, pl+d, pl+2*d)
					pm = med3(pm-d, pm, pm+d)
					pn = med3(pn-2*d, pn-d, pn)
				}
				pm = med3(pl, pm, pn)
			}
			swap(base, pm)
			pa, pb := base+1, base+1
			pc, pd := base+n-1, base+n-1
			for {
				for pb <= pc {
					r := cmp(&a[pb], &a[base])
					if r > 0 {
						break
					}
					if r == 0 {
						swap(pa, pb)
						pa++
					}
					pb++
				}
				for pb <= pc {
					r := cmp(&a[pc], &a[base])
					if r < 0 {
						break
					}
					if r == 0 {
						swap(pc, pd)
						pd--
					}
					pc--
				}
				if pb > pc {
					break
				}
				swap(pb, pc)
				pb++
				pc--
			}
			pn := base + n
			r := min(pa-base, pb-pa)
			vecswap(base, pb-r, r)
			r = min(pd-pc, pn-pd-1)
			vecswap(pb, pn-r, r)
			if r = pb - pa; r > 1 && !outside(base, r) {
				rec(base, r)
			}
			if r = pd - pc; r > 1 {
				base, n = pn-r, r
				if !outside(base, n) {
					continue
				}
			}
			return
		}
	}
	rec(0, len(a))
}

func geoCmpAsc(x, y *geoPoint) int {
	switch {
	case x.dist > y.dist:
		return 1
	case x.dist == y.dist:
		return 0
	}
	return -1
}

func geoCmpDesc(x, y *geoPoint) int { return -geoCmpAsc(x, y) }

// --- commands ---

// GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
//
// As Redis, it runs ZADD key [options] score member ... and that ZADD is
// what propagates.
func geoaddCommand(c *client) {
	nx, xx := false, false
	longidx := 2
loop:
	for ; longidx < len(c.argv); longidx++ {
		switch strings.ToLower(string(c.argv[longidx])) {
		case "nx":
			nx = true
		case "xx":
			xx = true
		case "ch":
		default:
			break loop
		}
	}
	if (len(c.argv)-longidx)%3 != 0 || (xx && nx) {
		c.addError(errSyntax)
		return
	}
	elements := (len(c.argv) - longidx) / 3
	argv := make([][]byte, 0, longidx+elements*2)
	argv = append(argv, []byte("zadd"))
	argv = append(argv, cloneArgs(c.argv[1:longidx]...)...)
	for i := range elements {
		x, y, ok := extractLongLat(c, c.argv[longidx+i*3:])
		if !ok {
			return
		}
		h, _ := datatypes.GeohashEncodeWGS84(x, y, datatypes.GeoStepMax)
		argv = append(argv, strconv.AppendUint(nil, datatypes.GeohashAlign52Bits(h), 10),
			append([]byte(nil), c.argv[longidx+i*3+2]...))
	}
	orig := c.argv
	dirty := c.srv.dirty
	c.argv = argv
	zaddCommand(c)
	c.argv = orig
	if c.srv.dirty != dirty {
		c.alsoPropagate(c.db.ID, argv...)
	}
}

// GEOPOS key [member [member ...]]
func geoposCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if o == nil {
			c.addNullArray()
			continue
		}
		x, y, found := longLatFromMember(o, m)
		if !found {
			c.addNullArray()
			continue
		}
		c.addArrayLen(2)
		c.addHumanDouble(x)
		c.addHumanDouble(y)
	}
}

// GEODIST key member1 member2 [M | KM | FT | MI]
func geodistCommand(c *client) {
	toMeter := 1.0
	if len(c.argv) == 5 {
		if toMeter = extractUnit(c, c.argv[4]); toMeter < 0 {
			return
		}
	} else if len(c.argv) > 5 {
		c.addError(errSyntax)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	x1, y1, ok1 := longLatFromMember(o, c.argv[2])
	x2, y2, ok2 := longLatFromMember(o, c.argv[3])
	if !ok1 || !ok2 {
		c.addNull()
		return
	}
	c.addDistance(datatypes.GeohashGetDistance(x1, y1, x2, y2) / toMeter)
}

// GEOHASH key [member [member ...]]
//
// The index hashes latitudes over ±85.05; the standard geohash string
// re-encodes the decoded position over ±90 (and pads the 11th character,
// which 52 bits cannot fill, with '0').
func geohashCommand(c *client) {
	const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if o == nil {
			c.addNull()
			continue
		}
		x, y, found := longLatFromMember(o, m)
		if !found {
			c.addNull()
			continue
		}
		h, _ := datatypes.GeohashEncode(datatypes.GeoHashRange{Min: -180, Max: 180}, datatypes.GeoHashRange{Min: -90, Max: 90},
			x, y, 26)
		var buf [11]byte
		for i := range buf {
			idx := 0
			if i < 10 {
				idx = int(h.Bits>>(52-(i+1)*5)) & 0x1f
			}
			buf[i] = alphabet[idx]
		}
		c.addBulk(buf[:])
	}
}

// Search kinds of geoSearchGeneric (georadiusGeneric's flags).
const (
	geoRadiusCoords = 1 << iota // GEORADIUS, GEORADIUS_RO
	geoRadiusMember             // GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_RO
	geoNoStore                  // the _RO forms
	geoSearch                   // GEOSEARCH, GEOSEARCHSTORE
	geoSearchStore              // GEOSEARCHSTORE
)

// geoSearchGeneric is georadiusGeneric, behind every search command.
func geoSearchGeneric(c *client, srcKeyIndex int, flags int) {
	s := c.srv
	var storekey []byte
	storedist := false
	o, ok := c.lookupType(c.argv[srcKeyIndex], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	var shape datatypes.GeoShape
	var baseArgs int
	switch {
	case flags&geoRadiusCoords != 0:
		baseArgs = 6
		shape.Type = datatypes.GeoCircular
		if shape.Long, shape.Lat, ok = extractLongLat(c, c.argv[2:]); !ok {
			return
		}
		if shape.Radius, shape.Conversion, ok = extractDistance(c, c.argv[baseArgs-2:]); !ok {
			return
		}
	case flags&geoRadiusMember != 0 && o == nil:
		// Parse on, to know which empty reply STORE asks for.
		baseArgs = 5
	case flags&geoRadiusMember != 0:
		baseArgs = 5
		shape.Type = datatypes.GeoCircular
		if shape.Long, shape.Lat, ok = longLatFromMember(o, c.argv[2]); !ok {
			c.addErrorString("ERR could not decode requested zset member")
			return
		}
		if shape.Radius, shape.Conversion, ok = extractDistance(c, c.argv[baseArgs-2:]); !ok {
			return
		}
	default:
		baseArgs = 2
		if flags&geoSearchStore != 0 {
			baseArgs = 3
			storekey = c.argv[1]
		}
	}

	withdist, withhash, withcoords := false, false, false
	frommember, fromloc, byradius, bybox := false, false, false, false
	sortDir := 0 // 0 none, 1 asc, -1 desc
	anyFlag := false
	var count int64
	remaining := len(c.argv) - baseArgs
	for i := 0; i < remaining; i++ {
		arg := strings.ToLower(string(c.argv[baseArgs+i]))
		next := c.argv[baseArgs+i+1:]
		search := flags&geoSearch != 0
		canStore := flags&geoNoStore == 0 && !search
		switch {
		case arg == "withdist":
			withdist = true
		case arg == "withhash":
			withhash = true
		case arg == "withcoord":
			withcoords = true
		case arg == "any":
			anyFlag = true
		case arg == "asc":
			sortDir = 1
		case arg == "desc":
			sortDir = -1
		case arg == "count" && i+1 < remaining:
			n, ok := datatypes.ParseInt(next[0])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if n <= 0 {
				c.addErrorString("ERR COUNT must be > 0")
				return
			}
			count = n
			i++
		case arg == "store" && i+1 < remaining && canStore:
			storekey, storedist = next[0], false
			i++
		case arg == "storedist" && i+1 < remaining && canStore:
			storekey, storedist = next[0], true
			i++
		case arg == "storedist" && search && flags&geoSearchStore != 0:
			storedist = true
		case arg == "frommember" && i+1 < remaining && search && !fromloc:
			if o != nil {
				if shape.Long, shape.Lat, ok = longLatFromMember(o, next[0]); !ok {
					c.addErrorString("ERR could not decode requested zset member")
					return
				}
			}
			frommember = true
			i++
		case arg == "fromlonlat" && i+2 < remaining && search && !frommember:
			if shape.Long, shape.Lat, ok = extractLongLat(c, next); !ok {
				return
			}
			fromloc = true
			i += 2
		case arg == "byradius" && i+2 < remaining && search && !bybox:
			if shape.Radius, shape.Conversion, ok = extractDistance(c, next); !ok {
				return
			}
			shape.Type = datatypes.GeoCircular
			byradius = true
			i += 2
		case arg == "bybox" && i+3 < remaining && search && !byradius:
			if shape.Width, shape.Height, shape.Conversion, ok = extractBox(c, next); !ok {
				return
			}
			shape.Type = datatypes.GeoRectangle
			bybox = true
			i += 3
		default:
			c.addError(errSyntax)
			return
		}
	}

	if storekey != nil && (withdist || withhash || withcoords) {
		what := "STORE option in GEORADIUS"
		if flags&geoSearchStore != 0 {
			what = "GEOSEARCHSTORE"
		}
		c.addErrorString("ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
		return
	}
	if flags&geoSearch != 0 && !(frommember || fromloc) {
		c.addErrorString("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + string(c.argv[0]))
		return
	}
	if flags&geoSearch != 0 && !(byradius || bybox) {
		c.addErrorString("ERR exactly one of BYRADIUS and BYBOX can be specified for " + string(c.argv[0]))
		return
	}
	if anyFlag && count == 0 {
		c.addErrorString("ERR the ANY argument requires COUNT argument")
		return
	}

	if o == nil {
		if storekey != nil {
			if s.dbDelete(c.db, storekey) {
				c.notify(NotifyGeneric, "del", storekey)
				s.addDirty(1)
			}
			c.addInt(0)
		} else {
			c.addArrayLen(0)
		}
		return
	}

	// COUNT alone means the closest N.
	if count != 0 && sortDir == 0 && !anyFlag {
		sortDir = 1
	}
	limit := 0
	if anyFlag {
		limit = int(count)
	}
	ga := geoMembersOfAllNeighbors(o, &shape, limit)
	if len(ga) == 0 && storekey == nil {
		c.addArrayLen(0)
		return
	}
	returned := len(ga)
	if count != 0 && int64(returned) > count {
		returned = int(count)
	}
	if sortDir != 0 {
		cmp := geoCmpAsc
		if sortDir < 0 {
			cmp = geoCmpDesc
		}
		if returned == len(ga) {
			// glibc's qsort is a stable merge sort.
			sort.SliceStable(ga, func(i, j int) bool { return cmp(&ga[i], &ga[j]) < 0 })
		} else {
			geoPqsort(ga, cmp, 0, returned-1)
		}
	}
	ga = ga[:returned]

	if storekey == nil {
		opts := 0
		for _, on := range []bool{withdist, withcoords, withhash} {
			if on {
				opts++
			}
		}
		c.addArrayLen(returned)
		for i := range ga {
			gp := &ga[i]
			gp.dist /= shape.Conversion
			if opts > 0 {
				c.addArrayLen(opts + 1)
			}
			c.addBulkString(gp.member)
			if withdist {
				c.addDistance(gp.dist)
			}
			if withhash {
				c.addInt(int64(gp.score))
			}
			if withcoords {
				c.addArrayLen(2)
				c.addHumanDouble(gp.long)
				c.addHumanDouble(gp.lat)
			}
		}
		return
	}

	if returned > 0 {
		res := s.newZsetSkiplist()
		maxelelen, totelelen := 0, 0
		for i := range ga {
			gp := &ga[i]
			gp.dist /= shape.Conversion
			score := gp.score
			if storedist {
				score = gp.dist
			}
			maxelelen = max(maxelelen, len(gp.member))
			totelelen += len(gp.member)
			zsk(res).Add(gp.member, score, 0)
		}
		s.zsetConvertToListpackIfNeeded(res, maxelelen, totelelen)
		s.setKey(c.db, storekey, res, false)
		event := "georadiusstore"
		if flags&geoSearch != 0 {
			event = "geosearchstore"
		}
		c.notify(NotifyZset, event, storekey)
		s.addDirty(int64(returned))
	} else if s.dbDelete(c.db, storekey) {
		c.notify(NotifyGeneric, "del", storekey)
		s.addDirty(1)
	}
	c.addInt(int64(returned))
}

// GEORADIUS key longitude latitude radius M | KM | FT | MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
func georadiusCommand(c *client) { geoSearchGeneric(c, 1, geoRadiusCoords) }

// GEORADIUS_RO key longitude latitude radius M | KM | FT | MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
func georadiusroCommand(c *client) { geoSearchGeneric(c, 1, geoRadiusCoords|geoNoStore) }

// GEORADIUSBYMEMBER key member radius M | KM | FT | MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
func georadiusbymemberCommand(c *client) { geoSearchGeneric(c, 1, geoRadiusMember) }

// GEORADIUSBYMEMBER_RO key member radius M | KM | FT | MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
func georadiusbymemberroCommand(c *client) {
	geoSearchGeneric(c, 1, geoRadiusMember|geoNoStore)
}

// GEOSEARCH key FROMMEMBER member | FROMLONLAT longitude latitude BYRADIUS radius M | KM | FT | MI | BYBOX width height M | KM | FT | MI [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
func geosearchCommand(c *client) { geoSearchGeneric(c, 1, geoSearch) }

// GEOSEARCHSTORE destination source FROMMEMBER member | FROMLONLAT longitude latitude BYRADIUS radius M | KM | FT | MI | BYBOX width height M | KM | FT | MI [ASC | DESC] [COUNT count [ANY]] [STOREDIST]
func geosearchstoreCommand(c *client) { geoSearchGeneric(c, 2, geoSearch|geoSearchStore) }
