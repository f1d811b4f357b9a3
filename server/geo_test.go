package server

import (
	"strconv"
	"testing"
)

// The GEO scripts: every command, option and error, with replies recorded
// from redis-server 7.0.15 (after FLUSHALL and HELLO 2 or HELLO 3): the
// Sicily example of the documentation, edge positions (the latitude
// limits, the antimeridian), huge and zero radii, empty results, scores
// no GEOADD writes, and members tied on distance, whose order under COUNT
// is that of Redis's partial quicksort, not of a stable sort.

func TestGeoScriptRESP2(t *testing.T) { runReplyScript(t, 2, geoScript) }
func TestGeoScriptRESP3(t *testing.T) { runReplyScript(t, 3, geoScript) }

// The script replayed against a live redis-server, when installed.
func TestGeoScriptAgainstRedis(t *testing.T) {
	for _, proto := range []int{2, 3} {
		r := startRedis(t)
		r.Do("FLUSHALL")
		r.Do("HELLO", strconv.Itoa(proto))
		for _, rc := range geoScript {
			r.expect(rc.want(proto), rc.args...)
		}
	}
}

// GEOADD propagates as the ZADD it runs (scores computed once, on the
// master), and not at all when nothing changed; searches that store
// propagate as themselves.
func TestGeoPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	e.c.expect(":2\r\n", "GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")
	e.c.expect(":0\r\n", "GEOADD", "Sicily", "NX", "13.361389", "38.115556", "Palermo")
	e.c.expect(":1\r\n", "GEOADD", "Sicily", "XX", "CH", "13.5", "38.1", "Palermo")
	e.c.expect("-ERR invalid longitude,latitude pair 200.000000,38.000000\r\n", "GEOADD", "Sicily", "200", "38", "X")
	e.c.expect(":2\r\n", "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst")
	e.c.expect("*0\r\n", "GEORADIUS", "Sicily", "15", "37", "1", "km")
	e.expectFeed("0 zadd Sicily 3479099956230698 Palermo 3479447370796909 Catania",
		"0 zadd Sicily XX CH 3479100566894653 Palermo",
		"0 GEORADIUS Sicily 15 37 200 km STORE dst")
}

var geoScript = []replyCase{
	{[]string{"CONFIG", "SET", "zset-max-listpack-entries", "128"}, "+OK\r\n", ""},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, ":2\r\n", ""},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"}, ":0\r\n", ""},
	{[]string{"GEOADD", "Sicily", "CH", "13.361389", "38.115556", "Palermo", "13.5", "38.1", "Palermo"}, ":1\r\n", ""},
	{[]string{"GEOADD", "Sicily", "NX", "13.361389", "38.115556", "Palermo", "14", "38", "X"}, ":1\r\n", ""},
	{[]string{"GEOADD", "Sicily", "XX", "CH", "14.1", "38", "X", "15", "37", "Y"}, ":1\r\n", ""},
	{[]string{"GEOADD", "Sicily", "NX", "XX", "14.1", "38", "X"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOADD", "Sicily", "14.1", "38"}, "-ERR wrong number of arguments for 'geoadd' command\r\n", ""},
	{[]string{"GEOADD", "Sicily", "ch", "ch", "ch"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOADD", "Sicily", "181", "38", "X"}, "-ERR invalid longitude,latitude pair 181.000000,38.000000\r\n", ""},
	{[]string{"GEOADD", "Sicily", "10", "85.06", "X"}, "-ERR invalid longitude,latitude pair 10.000000,85.060000\r\n", ""},
	{[]string{"GEOADD", "Sicily", "abc", "38", "X"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"GEOADD", "Sicily", "10", "inf", "X"}, "-ERR invalid longitude,latitude pair 10.000000,inf\r\n", ""},
	{[]string{"GEOADD", "Sicily", "-inf", "38", "X"}, "-ERR invalid longitude,latitude pair -inf,38.000000\r\n", ""},
	{[]string{"ZREM", "Sicily", "X"}, ":1\r\n", ""},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, ":0\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania"}, "$11\r\n166274.1516\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "km"}, "$8\r\n166.2742\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "MI"}, "$8\r\n103.3182\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "ft"}, "$11\r\n545518.8700\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "m"}, "$11\r\n166274.1516\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "km", "extra"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEODIST", "Sicily", "Palermo", "Nowhere"}, "$-1\r\n", "_\r\n"},
	{[]string{"GEODIST", "nokey", "Palermo", "Catania"}, "$-1\r\n", "_\r\n"},
	{[]string{"GEODIST", "nokey", "Palermo", "Catania", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n", ""},
	{[]string{"GEOPOS", "Sicily", "Palermo", "Catania", "NonExisting"}, "*3\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*-1\r\n", "*3\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n_\r\n"},
	{[]string{"GEOPOS", "nokey", "a", "b"}, "*2\r\n*-1\r\n*-1\r\n", "*2\r\n_\r\n_\r\n"},
	{[]string{"GEOPOS", "Sicily"}, "*0\r\n", ""},
	{[]string{"GEOHASH", "Sicily", "Palermo", "Catania", "NonExisting"}, "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n", "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n_\r\n"},
	{[]string{"GEOHASH", "nokey", "a"}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
	{[]string{"GEOHASH", "Sicily"}, "*0\r\n", ""},
	{[]string{"GEOADD", "Sicily", "13.583333", "37.316667", "Agrigento"}, ":1\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST"}, "*3\r\n*2\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD"}, "*3\r\n*2\r\n$9\r\nAgrigento\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n$7\r\nCatania\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n", "*3\r\n*2\r\n$9\r\nAgrigento\r\n*2\r\n,13.5833314061164856\r\n,37.31666804993816555\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*2\r\n$7\r\nCatania\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH"}, "*3\r\n*4\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n:3479030013248308\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n", "*3\r\n*4\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n:3479030013248308\r\n*2\r\n,13.5833314061164856\r\n,37.31666804993816555\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ASC"}, "*3\r\n$7\r\nCatania\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC"}, "*3\r\n$7\r\nPalermo\r\n$9\r\nAgrigento\r\n$7\r\nCatania\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1"}, "*1\r\n$7\r\nCatania\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1", "DESC"}, "*1\r\n$7\r\nPalermo\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "2", "ANY"}, "*2\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"}, "-ERR the ANY argument requires COUNT argument\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "0"}, "-ERR COUNT must be > 0\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "-1"}, "-ERR COUNT must be > 0\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "x"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "-1", "km"}, "-ERR radius cannot be negative\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "abc", "km"}, "-ERR need numeric radius\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "parsec"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "KM"}, "*3\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "200", "37", "200", "km"}, "-ERR invalid longitude,latitude pair 200.000000,37.000000\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "STORE", "dst"}, "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst"}, ":3\r\n", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*6\r\n$9\r\nAgrigento\r\n$16\r\n3479030013248308\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n", "*3\r\n*2\r\n$9\r\nAgrigento\r\n,3479030013248308\r\n*2\r\n$7\r\nPalermo\r\n,3479099956230698\r\n*2\r\n$7\r\nCatania\r\n,3479447370796909\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dst"}, ":3\r\n", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*6\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$9\r\nAgrigento\r\n$18\r\n130.42348706714702\r\n$7\r\nPalermo\r\n$18\r\n190.44242984775784\r\n", "*3\r\n*2\r\n$7\r\nCatania\r\n,56.441257870158204\r\n*2\r\n$9\r\nAgrigento\r\n,130.42348706714702\r\n*2\r\n$7\r\nPalermo\r\n,190.44242984775784\r\n"},
	{[]string{"OBJECT", "ENCODING", "dst"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "1", "km", "STORE", "dst"}, ":0\r\n", ""},
	{[]string{"EXISTS", "dst"}, ":0\r\n", ""},
	{[]string{"GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "dst"}, ":0\r\n", ""},
	{[]string{"GEORADIUS", "nokey", "15", "37", "200", "km"}, "*0\r\n", ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "dst"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC"}, "*3\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "WITHDIST", "ASC"}, "*3\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n*2\r\n$9\r\nAgrigento\r\n$7\r\n90.9778\r\n*2\r\n$7\r\nCatania\r\n$8\r\n166.2742\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Nowhere", "200", "km"}, "-ERR could not decode requested zset member\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "Nowhere", "abc", "km", "STORE", "dst"}, ":0\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "Nowhere", "abc", "km"}, "*0\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "100", "km", "WITHCOORD"}, "*2\r\n*2\r\n$9\r\nAgrigento\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n", "*2\r\n*2\r\n$9\r\nAgrigento\r\n*2\r\n,13.5833314061164856\r\n,37.31666804993816555\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n"},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "100", "km", "STOREDIST", "dst"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"}, "*3\r\n$7\r\nCatania\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"}, "*3\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*3\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*3\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n", "*3\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n*3\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n,13.5833314061164856\r\n,37.31666804993816555\r\n*3\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC", "WITHHASH"}, "*3\r\n*2\r\n$7\r\nCatania\r\n:3479447370796909\r\n*2\r\n$9\r\nAgrigento\r\n:3479030013248308\r\n*2\r\n$7\r\nPalermo\r\n:3479099956230698\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Nowhere", "BYRADIUS", "10", "km"}, "-ERR could not decode requested zset member\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "BYRADIUS", "10", "km"}, "-ERR wrong number of arguments for 'geosearch' command\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "ASC"}, "-ERR wrong number of arguments for 'geosearch' command\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km", "BYBOX", "1", "1", "km"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"}, "-ERR height or width cannot be negative\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"}, "-ERR need numeric width\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"}, "-ERR need numeric height\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km", "STORE", "dst"}, "-ERR syntax error\r\n", ""},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km", "STOREDIST"}, "-ERR syntax error\r\n", ""},
	{[]string{"geosearch", "Sicily", "FROMLONLAT", "15", "37", "COUNT", "1"}, "-ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch\r\n", ""},
	{[]string{"GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "10", "km"}, "*0\r\n", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST", "COUNT", "2"}, ":2\r\n", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$9\r\nAgrigento\r\n$18\r\n130.42348706714702\r\n", "*2\r\n*2\r\n$7\r\nCatania\r\n,56.441257870158204\r\n*2\r\n$9\r\nAgrigento\r\n,130.42348706714702\r\n"},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"}, "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, ":3\r\n", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*6\r\n$9\r\nAgrigento\r\n$16\r\n3479030013248308\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n", "*3\r\n*2\r\n$9\r\nAgrigento\r\n,3479030013248308\r\n*2\r\n$7\r\nPalermo\r\n,3479099956230698\r\n*2\r\n$7\r\nCatania\r\n,3479447370796909\r\n"},
	{[]string{"GEOSEARCHSTORE", "dst", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, ":0\r\n", ""},
	{[]string{"EXISTS", "dst"}, ":0\r\n", ""},
	{[]string{"SET", "str", "x"}, "+OK\r\n", ""},
	{[]string{"GEOADD", "str", "1", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEOPOS", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEODIST", "str", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEOHASH", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEORADIUS", "str", "15", "37", "200", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEOSEARCH", "str", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "str", "FROMLONLAT", "15", "37", "BYRADIUS", "10", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"GEOADD", "poles", "0", "85.05112878", "n", "0", "-85.05112878", "s", "180", "0", "e", "-180", "0", "w", "179.9999", "10", "ae", "-179.9999", "10", "aw"}, ":6\r\n", ""},
	{[]string{"GEOPOS", "poles", "n", "s", "e", "w", "ae", "aw"}, "*6\r\n*2\r\n$19\r\n0.00000268220901489\r\n$19\r\n85.0511287799999991\r\n*2\r\n$19\r\n0.00000268220901489\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$3\r\n180\r\n$19\r\n0.00000126736058093\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$19\r\n0.00000126736058093\r\n*2\r\n$21\r\n179.99990075826644897\r\n$20\r\n10.00000092823272979\r\n*2\r\n$22\r\n-179.99990075826644897\r\n$20\r\n10.00000092823272979\r\n", "*6\r\n*2\r\n,0.00000268220901489\r\n,85.0511287799999991\r\n*2\r\n,0.00000268220901489\r\n,-85.05112751263942528\r\n*2\r\n,180\r\n,0.00000126736058093\r\n*2\r\n,-179.99999731779098511\r\n,0.00000126736058093\r\n*2\r\n,179.99990075826644897\r\n,10.00000092823272979\r\n*2\r\n,-179.99990075826644897\r\n,10.00000092823272979\r\n"},
	{[]string{"GEOHASH", "poles", "n", "s", "e", "w", "ae", "aw"}, "*6\r\n$11\r\nup05b5048p0\r\n$11\r\nh0bh0hbj200\r\n$11\r\n80000000000\r\n$11\r\n80000000000\r\n$11\r\nxczbzuryjx0\r\n$11\r\n81b0bh2n4r0\r\n", ""},
	{[]string{"GEODIST", "poles", "n", "s", "km"}, "$10\r\n18919.8446\r\n", ""},
	{[]string{"GEODIST", "poles", "e", "w"}, "$6\r\n0.2983\r\n", ""},
	{[]string{"GEODIST", "poles", "ae", "aw"}, "$7\r\n21.7412\r\n", ""},
	{[]string{"GEOSEARCH", "poles", "FROMMEMBER", "ae", "BYRADIUS", "100", "km", "ASC", "WITHDIST"}, "*2\r\n*2\r\n$2\r\nae\r\n$6\r\n0.0000\r\n*2\r\n$2\r\naw\r\n$6\r\n0.0217\r\n", ""},
	{[]string{"GEOSEARCH", "poles", "FROMMEMBER", "n", "BYRADIUS", "20000", "km", "ASC", "WITHDIST"}, "*4\r\n*2\r\n$1\r\nn\r\n$6\r\n0.0000\r\n*2\r\n$2\r\nae\r\n$9\r\n9448.5485\r\n*2\r\n$2\r\naw\r\n$9\r\n9448.5485\r\n*2\r\n$1\r\nw\r\n$10\r\n10560.8115\r\n", ""},
	{[]string{"GEOSEARCH", "poles", "FROMLONLAT", "0", "0", "BYRADIUS", "50000", "km", "WITHDIST"}, "*4\r\n*2\r\n$2\r\nae\r\n$10\r\n18908.4709\r\n*2\r\n$1\r\ns\r\n$9\r\n9459.9222\r\n*2\r\n$1\r\nw\r\n$10\r\n20020.7337\r\n*2\r\n$2\r\naw\r\n$10\r\n18908.4709\r\n", ""},
	{[]string{"GEOSEARCH", "poles", "FROMLONLAT", "0", "0", "BYRADIUS", "0", "m"}, "*0\r\n", ""},
	{[]string{"GEOSEARCH", "poles", "FROMLONLAT", "0", "0", "BYBOX", "40000", "40000", "km", "DESC"}, "*3\r\n$2\r\nae\r\n$2\r\naw\r\n$1\r\ns\r\n", ""},
	{[]string{"ZADD", "weird", "-1", "neg", "1e20", "big"}, ":2\r\n", ""},
	{[]string{"GEOPOS", "weird", "neg", "big"}, "*2\r\n*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n", "*2\r\n*2\r\n,180\r\n,85.0511287799999991\r\n*2\r\n,-179.99999731779098511\r\n,-85.05112751263942528\r\n"},
	{[]string{"GEOHASH", "weird", "neg", "big"}, "*2\r\n$11\r\nbp05b5048p0\r\n$11\r\n00bh0hbj200\r\n", ""},
	{[]string{"GEOADD", "ties", "13.36", "38.11", "center", "13.36", "38.11", "p10", "13.36", "38.11", "p4", "13.36", "38.11", "p5", "13.36", "38.11", "p7", "13.4", "38.11", "p8", "13.7", "38.2", "p1", "13.8", "38.1", "p2", "14.2", "38.5", "p3", "14.3", "38.4", "p6", "14.4", "38.5", "p9"}, ":11\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "ties", "center", "1000", "km", "COUNT", "2"}, "*2\r\n$6\r\ncenter\r\n$3\r\np10\r\n", ""},
	{[]string{"GEORADIUSBYMEMBER", "ties", "center", "1000", "km", "COUNT", "4", "WITHDIST"}, "*4\r\n*2\r\n$6\r\ncenter\r\n$6\r\n0.0000\r\n*2\r\n$3\r\np10\r\n$6\r\n0.0000\r\n*2\r\n$2\r\np4\r\n$6\r\n0.0000\r\n*2\r\n$2\r\np5\r\n$6\r\n0.0000\r\n", ""},
	{[]string{"GEOSEARCH", "ties", "FROMMEMBER", "center", "BYRADIUS", "1000", "km", "ASC", "COUNT", "7"}, "*7\r\n$6\r\ncenter\r\n$3\r\np10\r\n$2\r\np4\r\n$2\r\np5\r\n$2\r\np7\r\n$2\r\np8\r\n$2\r\np1\r\n", ""},
	{[]string{"GEOSEARCH", "ties", "FROMMEMBER", "center", "BYRADIUS", "1000", "km", "DESC", "COUNT", "8"}, "*8\r\n$2\r\np9\r\n$2\r\np6\r\n$2\r\np3\r\n$2\r\np2\r\n$2\r\np1\r\n$2\r\np8\r\n$6\r\ncenter\r\n$2\r\np7\r\n", ""},
	{[]string{"GEOSEARCH", "ties", "FROMMEMBER", "center", "BYRADIUS", "1000", "km", "ASC"}, "*11\r\n$6\r\ncenter\r\n$3\r\np10\r\n$2\r\np4\r\n$2\r\np5\r\n$2\r\np7\r\n$2\r\np8\r\n$2\r\np1\r\n$2\r\np2\r\n$2\r\np3\r\n$2\r\np6\r\n$2\r\np9\r\n", ""},
	{[]string{"GEOSEARCH", "ties", "FROMMEMBER", "center", "BYRADIUS", "1000", "km", "COUNT", "3", "ANY"}, "*3\r\n$6\r\ncenter\r\n$3\r\np10\r\n$2\r\np4\r\n", ""},
	{[]string{"GEOSEARCHSTORE", "dst", "ties", "FROMMEMBER", "center", "BYBOX", "2000", "2000", "km", "COUNT", "3"}, ":3\r\n", ""},
	{[]string{"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*6\r\n$6\r\ncenter\r\n$16\r\n3479099943497504\r\n$3\r\np10\r\n$16\r\n3479099943497504\r\n$2\r\np4\r\n$16\r\n3479099943497504\r\n", "*3\r\n*2\r\n$6\r\ncenter\r\n,3479099943497504\r\n*2\r\n$3\r\np10\r\n,3479099943497504\r\n*2\r\n$2\r\np4\r\n,3479099943497504\r\n"},
}
