package server

import (
	"bytes"
	"math"
	"math/big"
	"sort"
	"strings"

	"ferrite/datatypes"
)

// SORT and SORT_RO, as Redis 7.0's sort.c. The elements of a list, set or
// sorted set are loaded into a vector, given a weight (the element
// itself, or the value a BY pattern points to), sorted, cut to LIMIT, and
// either replied (with GET patterns substituted) or stored as a list.
//
// Order where Redis leaves it open: elements whose ALPHA weights compare
// equal (or are both missing) keep the order they were loaded in, as
// glibc's merge-sort qsort does; sets and sorted sets without BY nosort
// are loaded in their own iteration order, which differs between Ferrite
// and Redis (hash table order), so only the list case matches Redis
// element for element there. Numeric weights never tie: equal scores fall
// back to comparing the elements.

var sortCommands = map[string]cmdProc{
	"sort":    sortCommand,
	"sort_ro": sortroCommand,
}

// sortItem is redisSortObject: one element and its weight (score for a
// numeric sort, cmp for ALPHA BY; hasCmp false is a missing BY value).
type sortItem struct {
	obj    []byte
	score  float64
	cmp    []byte
	hasCmp bool
}

// cString is a byte string as a C string function sees it: up to its
// first NUL. Redis reads patterns, weights (strtod) and strcoll operands
// that way.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// sortLookupByPattern is lookupKeyByPattern: "#" is the element itself;
// otherwise the first '*' is replaced by the element to name a key, and a
// "->field" after the '*' (with a non-empty field) reads that hash field
// instead of a string value. A pattern without '*', a missing key, a key
// of the other type or a missing field give ok false. The bytes returned
// may alias the keyspace: use them before the next write.
func (c *client) sortLookupByPattern(pattern, subst []byte) ([]byte, bool) {
	spat := cString(pattern)
	if len(spat) == 1 && spat[0] == '#' {
		return subst, true
	}
	star := bytes.IndexByte(spat, '*')
	if star < 0 {
		return nil, false
	}
	var field []byte
	post := pattern[star+1:]
	if f := bytes.Index(spat[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(spat) {
		field = pattern[star+1+f+2:]
		post = pattern[star+1 : star+1+f]
	}
	key := make([]byte, 0, star+len(subst)+len(post))
	key = append(append(append(key, pattern[:star]...), subst...), post...)
	o := c.srv.lookupKeyRead(c.db, key)
	if o == nil {
		return nil, false
	}
	if field != nil {
		if o.Type != datatypes.TypeHash {
			return nil, false
		}
		hv, ok := hashGet(o, field)
		if !ok {
			return nil, false
		}
		return hv.bytes(), true
	}
	if o.Type != datatypes.TypeString {
		return nil, false
	}
	return o.StringBytes(), true
}

// sortWeight is the numeric weight check of sortCommandGeneric: C strtod
// over the C string, which must be consumed whole (leading spaces, hex,
// "inf" and "" as 0 pass), with ERANGE (overflow, or an inexact result
// below the normal range) and NaN refused.
func sortWeight(b []byte) (float64, bool) {
	b = cString(b)
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	if i == len(b) {
		// strtod consumed nothing: the end pointer is the NUL only when
		// the string is empty.
		return 0, i == 0
	}
	s := string(b[i:])
	f, err := parseCFloat(s) // overflow is an error here
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	if math.Abs(f) < 0x1p-1022 && nonZeroMantissa(s) {
		// glibc sets ERANGE for a tiny result only when it is inexact:
		// 0x1p-1070 passes, 1e-310 does not.
		if f == 0 {
			return 0, false
		}
		h := strings.TrimLeft(s, "+-")
		if len(h) > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') && !strings.ContainsAny(h, "pP") {
			s += "p0"
		}
		exact, ok := new(big.Rat).SetString(s)
		if !ok || exact.Cmp(new(big.Rat).SetFloat64(f)) != 0 {
			return 0, false
		}
	}
	return f, true
}

// sortOrder holds what sort.c passes to sortCompare through server
// globals. Its compare is sortCompare: numeric ties fall back to the
// elements' bytes; ALPHA comparisons that C makes with strcoll (no
// STORE; the C locale, so byte order) stop at the first NUL, while with
// STORE Redis compares the full bytes; a missing BY value sorts first.
type sortOrder struct {
	desc, alpha, byPattern, store bool
}

func (so sortOrder) compare(a, b *sortItem) int {
	var cmp int
	switch {
	case !so.alpha:
		switch {
		case a.score > b.score:
			cmp = 1
		case a.score < b.score:
			cmp = -1
		default:
			cmp = bytes.Compare(a.obj, b.obj)
		}
	case so.byPattern:
		switch {
		case !a.hasCmp || !b.hasCmp:
			if a.hasCmp == b.hasCmp {
				cmp = 0
			} else if !a.hasCmp {
				cmp = -1
			} else {
				cmp = 1
			}
		case so.store:
			cmp = bytes.Compare(a.cmp, b.cmp)
		default:
			cmp = bytes.Compare(cString(a.cmp), cString(b.cmp))
		}
	case so.store:
		cmp = bytes.Compare(a.obj, b.obj)
	default:
		cmp = bytes.Compare(cString(a.obj), cString(b.obj))
	}
	if so.desc {
		return -cmp
	}
	return cmp
}

// sortGeneric is sortCommandGeneric; readonly (SORT_RO) does not know
// STORE, so it is a syntax error there.
func sortGeneric(c *client, readonly bool) {
	s := c.srv
	var (
		desc, alpha, dontsort  bool
		limitStart, limitCount int64 = 0, -1
		sortby, storekey       []byte
		getops                 [][]byte
	)
	argv := c.argv
	for j := 2; j < len(argv); j++ {
		leftargs := len(argv) - j - 1
		opt := strings.ToLower(string(cString(argv[j]))) // strcasecmp
		switch {
		case opt == "asc":
			desc = false
		case opt == "desc":
			desc = true
		case opt == "alpha":
			alpha = true
		case opt == "limit" && leftargs >= 2:
			var ok bool
			if limitStart, ok = parseLong(c, argv[j+1], ""); !ok {
				return
			}
			if limitCount, ok = parseLong(c, argv[j+2], ""); !ok {
				return
			}
			j += 2
		case !readonly && opt == "store" && leftargs >= 1:
			storekey = argv[j+1]
			j++
		case opt == "by" && leftargs >= 1:
			sortby = argv[j+1]
			// A BY pattern without '*' is constant: nothing to sort by.
			if bytes.IndexByte(cString(sortby), '*') < 0 {
				dontsort = true
			}
			// Hook: Redis 7.0 refuses a BY pattern with '*' here in
			// cluster mode ("ERR BY option of SORT denied in Cluster
			// mode.") and without full key access under ACL ("ERR BY
			// option of SORT denied due to insufficient ACL
			// permissions."). Ferrite has neither cluster mode nor ACL
			// users yet.
			j++
		case opt == "get" && leftargs >= 1:
			// Hook: the same cluster ("ERR GET option of SORT denied in
			// Cluster mode.") and ACL ("ERR GET option of SORT denied due
			// to insufficient ACL permissions.") refusals apply to every
			// GET in Redis 7.0.
			getops = append(getops, argv[j+1])
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}

	sortval := s.lookupKeyRead(c.db, argv[1])
	if sortval != nil && sortval.Type != datatypes.TypeSet &&
		sortval.Type != datatypes.TypeList && sortval.Type != datatypes.TypeZSet {
		c.addError(errWrongType)
		return
	}
	if sortval == nil {
		sortval = s.listTypeCreate()
	}

	// A set's iteration order is not something a replica or an AOF reload
	// reproduces, so a stored (or scripted: hook for when scripting lands)
	// BY nosort over a set is sorted lexicographically after all. Lists
	// and sorted sets keep their own order.
	if dontsort && sortval.Type == datatypes.TypeSet && storekey != nil {
		dontsort, alpha, sortby = false, true, nil
	}

	// Redis converts a listpack sorted set for good before sorting it
	// (OBJECT ENCODING says skiplist afterwards).
	if sortval.Type == datatypes.TypeZSet && sortval.Enc == datatypes.EncListpack {
		s.zsetConvert(sortval)
	}

	var vectorlen int64
	switch sortval.Type {
	case datatypes.TypeList:
		vectorlen = int64(listQL(sortval).Len())
	case datatypes.TypeSet:
		vectorlen = int64(setTypeSize(sortval))
	case datatypes.TypeZSet:
		vectorlen = int64(zsetLen(sortval))
	}

	// LIMIT sanity checks, exactly as Redis (including the start past
	// the end case giving end = start-1).
	start := min(max(limitStart, 0), vectorlen)
	limitCount = min(max(limitCount, -1), vectorlen)
	end := vectorlen - 1
	if limitCount >= 0 {
		end = start + limitCount - 1
	}
	if start >= vectorlen {
		start, end = vectorlen-1, vectorlen-2
	}
	if end >= vectorlen {
		end = vectorlen - 1
	}

	// Lists and sorted sets with nothing to sort load just the LIMIT
	// range, in their own order (reversed for DESC).
	if (sortval.Type == datatypes.TypeZSet || sortval.Type == datatypes.TypeList) && dontsort &&
		(start != 0 || end != vectorlen-1) {
		vectorlen = end - start + 1
	}

	vector := make([]sortItem, 0, max(vectorlen, 0))
	switch {
	case sortval.Type == datatypes.TypeList && dontsort:
		if end >= start {
			ql := listQL(sortval)
			from := start
			if desc {
				from = int64(ql.Len()) - start - 1
			}
			it, _ := ql.IteratorAt(int(from), desc)
			for int64(len(vector)) < vectorlen {
				v, ok := it.Next()
				if !ok {
					break
				}
				vector = append(vector, sortItem{obj: copyBytes(v)})
			}
			it.Close()
			end -= start
			start = 0
		}
	case sortval.Type == datatypes.TypeList:
		it := listQL(sortval).Iterator(false)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			vector = append(vector, sortItem{obj: copyBytes(v)})
		}
		it.Close()
	case sortval.Type == datatypes.TypeSet:
		setTypeRange(sortval, func(m string) bool {
			vector = append(vector, sortItem{obj: []byte(m)})
			return true
		})
	case sortval.Type == datatypes.TypeZSet && dontsort:
		if vectorlen > 0 {
			zsetRangeByRank(sortval, int(start), int(start+vectorlen-1), desc, func(m string, _ float64) bool {
				vector = append(vector, sortItem{obj: []byte(m)})
				return true
			})
		}
		end -= start
		start = 0
	default: // a sorted set to sort
		for _, e := range zsetEntries(sortval) {
			vector = append(vector, sortItem{obj: []byte(e.Member)})
		}
	}

	convErr := false
	if !dontsort {
		for j := range vector {
			it := &vector[j]
			byval := it.obj
			if sortby != nil {
				v, ok := c.sortLookupByPattern(sortby, it.obj)
				if !ok {
					continue
				}
				byval = v
			}
			if alpha {
				if sortby != nil {
					it.cmp, it.hasCmp = copyBytes(byval), true
				}
			} else {
				f, ok := sortWeight(byval)
				it.score = f
				if !ok {
					convErr = true
				}
			}
		}
		so := sortOrder{desc: desc, alpha: alpha, byPattern: sortby != nil, store: storekey != nil}
		sort.SliceStable(vector, func(a, b int) bool { return so.compare(&vector[a], &vector[b]) < 0 })
	}

	n := end - start + 1
	outputlen := n
	if len(getops) > 0 {
		outputlen = int64(len(getops)) * n
	}
	switch {
	case convErr:
		c.addErrorString("ERR One or more scores can't be converted into double")
	case storekey == nil:
		c.addArrayLen(int(outputlen))
		for j := start; j <= end; j++ {
			if len(getops) == 0 {
				c.addBulk(vector[j].obj)
			}
			for _, pat := range getops {
				if v, ok := c.sortLookupByPattern(pat, vector[j].obj); ok {
					c.addBulk(v)
				} else {
					c.addNull()
				}
			}
		}
	default:
		sobj := s.listTypeCreate()
		for j := start; j <= end; j++ {
			if len(getops) == 0 {
				listTypePush(sobj, vector[j].obj, listTail)
			}
			for _, pat := range getops {
				v, _ := c.sortLookupByPattern(pat, vector[j].obj)
				listTypePush(sobj, v, listTail) // a missing value is stored as ""
			}
		}
		if outputlen > 0 {
			s.setKey(c.db, storekey, sobj, false)
			c.notify(NotifyList, "sortstore", storekey)
			s.addDirty(outputlen)
		} else if s.dbDelete(c.db, storekey) {
			c.notify(NotifyGeneric, "del", storekey)
			s.addDirty(1)
		}
		c.addInt(outputlen)
	}
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]
func sortCommand(c *client) { sortGeneric(c, false) }

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]
func sortroCommand(c *client) { sortGeneric(c, true) }
