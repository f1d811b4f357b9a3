#!/bin/sh
# EVALSHA of a script doing one redis.call('GET', KEYS[1]): Ferrite against
# redis-server, runs alternating, as redis-benchmark's requests per second
# and the server's CPU time (user+sys) per 10k requests. The CPU time is
# the steadier number on a shared machine, where other work moves the
# throughput of both servers from one run to the next.
#
# usage: bench/lua/bench.sh [ferrite-binary]   (builds one when not given)
#   BASE=/path/to/older/ferrite  also runs that binary, for before/after
#   N=200000 RUNS=3 FP=17380 RP=17381 BP=17382
set -e
FERRITE=${1:-}
if [ -z "$FERRITE" ]; then
	FERRITE=$(mktemp -d)/ferrite
	(cd "$(dirname "$0")/../.." && go build -o "$FERRITE" .)
fi
FP=${FP:-17380}
RP=${RP:-17381}
BP=${BP:-17382}
N=${N:-200000}
RUNS=${RUNS:-3}
SCRIPT="return redis.call('GET', KEYS[1])"

"$FERRITE" --port "$FP" --save '' --appendonly no >/dev/null 2>&1 &
FPID=$!
BPID=
if [ -n "$BASE" ]; then
	"$BASE" --port "$BP" --save '' --appendonly no >/dev/null 2>&1 &
	BPID=$!
fi
redis-server --port "$RP" --save '' --appendonly no --daemonize yes >/dev/null
trap 'kill $FPID $BPID 2>/dev/null; redis-cli -p $RP shutdown nosave >/dev/null 2>&1 || true' EXIT
PORTS="$FP $RP"
[ -n "$BASE" ] && PORTS="$PORTS $BP"
for p in $PORTS; do
	until redis-cli -p "$p" ping >/dev/null 2>&1; do sleep 0.1; done
	redis-cli -p "$p" set key value >/dev/null
	SHA=$(redis-cli -p "$p" script load "$SCRIPT")
done
RPID=$(redis-cli -p "$RP" info server | tr -d '\r' | grep '^process_id:' | cut -d: -f2)

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # clock ticks
run() { # port pid
	c0=$(cpu "$2")
	r=$(redis-benchmark -p "$1" -c 50 -n "$N" -q evalsha "$SHA" 1 key | tr '\r' '\n' |
		grep -o '[0-9.]* requests per second' | tail -1 | cut -d' ' -f1)
	c1=$(cpu "$2")
	hz=$(getconf CLK_TCK)
	echo "$r rps $(((c1 - c0) * 1000 * 10000 / hz / N)) cpu-ms/10k"
}
for i in $(seq "$RUNS"); do
	echo "ferrite $(run "$FP" "$FPID")"
	echo "redis   $(run "$RP" "$RPID")"
	[ -n "$BASE" ] && echo "base    $(run "$BP" "$BPID")"
done
