#!/usr/bin/env bash
# Benchmark Ferrite against a redis-server started in the same run, with
# redis-benchmark, and print medians and ratios.
#
#   bench/bench.sh            # N=500000 requests per test, ROUNDS=3
#   bench/bench.sh --quick    # N=50000, ROUNDS=1 (smoke run)
#   N=200000 ROUNDS=5 CLIENTS=100 TESTS=set,get bench/bench.sh
#   PN=4000000 bench/bench.sh    # requests per pipelined run (default N*PIPELINE/2)
#   FERRITE_BIN=/path/to/ferrite bench/bench.sh   # skip the build
#
# Both servers run on free loopback ports with the same options (no
# persistence). Each round runs every pipeline depth (1 and PIPELINE,
# default 16) against both servers, alternating which goes first, so drift
# in machine load hits both alike. The table gives, per test and depth, the
# median ops/s of each server, the ratio ferrite/redis, and the median p99
# latency (ms) of each, from redis-benchmark's --csv columns.
set -euo pipefail

if [[ "${1:-}" == "--quick" ]]; then
	N=${N:-50000}
	ROUNDS=${ROUNDS:-1}
fi
N=${N:-500000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
TESTS=${TESTS:-set,get,incr,mset}
PIPELINE=${PIPELINE:-16}
# Pipelined runs get PN requests (default N*PIPELINE/2): at -P 16 both
# servers do well over 1M ops/s, and N requests would last a fraction of a
# second, too short to rise above this machine's noise.
PN=${PN:-$((N * PIPELINE / 2))}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in go redis-server redis-cli redis-benchmark; do
	command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install redis-server redis-tools)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n "${FERRITE_BIN:-}" ]]; then
	cp "$FERRITE_BIN" "$work/ferrite"
else
	echo "building ferrite..." >&2
	(cd "$root" && go build -o "$work/ferrite" .)
fi

# free_port prints a loopback port nobody is listening on.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	echo "bench: no free port found" >&2
	return 1
}

# start NAME BINARY: starts a server, waits for PING, sets $port. (Not in
# a $(...) subshell: the pid must reach the cleanup list.)
start() {
	local name=$1 bin=$2
	port=$(free_port)
	mkdir -p "$work/run-$name"
	(cd "$work/run-$name" && exec "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		>"$work/$name.log" 2>&1) &
	pids+=($!)
	for _ in $(seq 1 200); do
		if [[ "$(redis-cli -p "$port" ping 2>/dev/null)" == "PONG" ]]; then
			return
		fi
		if ! kill -0 "${pids[-1]}" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	echo "bench: $name did not start:" >&2
	cat "$work/$name.log" >&2
	return 1
}

start redis "$(command -v redis-server)"
redis_port=$port
start ferrite "$work/ferrite"
ferrite_port=$port
echo "redis-server on $redis_port, ferrite on $ferrite_port; N=$N PN=$PN ROUNDS=$ROUNDS CLIENTS=$CLIENTS TESTS=$TESTS" >&2

# A benchmark of error replies measures nothing: say so up front.
for t in ${TESTS//,/ }; do
	case $t in
	set) probe=(SET bench:probe 1) ;;
	get) probe=(GET bench:probe) ;;
	incr) probe=(INCR bench:counter) ;;
	mset) probe=(MSET bench:a 1 bench:b 2) ;;
	*) probe=() ;;
	esac
	if ((${#probe[@]})) && redis-cli -p "$ferrite_port" "${probe[@]}" 2>&1 | grep -q '^ERR'; then
		echo "bench: warning: ferrite answers ${probe[0]} with an error; redis-benchmark will stop at it" >&2
	fi
done

results=$work/results.csv # server,pipeline,test,rps,p99
run() {
	local name=$1 port=$2 depth=$3 out=$work/out.csv
	# redis-benchmark stops at the first error reply; keep going with the
	# other server and rounds, and leave the gap in the table.
	local n=$N
	((depth > 1)) && n=$PN
	if ! redis-benchmark -p "$port" -t "$TESTS" -n "$n" -c "$CLIENTS" -P "$depth" -q --csv >"$out" 2>&1; then
		echo "bench: redis-benchmark against $name (-P $depth) failed: $(grep -v '^"' "$out" | tail -1)" >&2
	fi
	# "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
	awk -F'","' -v s="$name" -v p="$depth" '/^"/ && !/^"test"/ && NF == 8 {
		gsub(/"/, "", $1); gsub(/"/, "", $NF)
		printf "%s,%s,%s,%s,%s\n", s, p, $1, $2, $7
	}' "$out" >>"$results"
}

for round in $(seq 1 "$ROUNDS"); do
	for depth in 1 "$PIPELINE"; do
		if ((round % 2)); then order="redis ferrite"; else order="ferrite redis"; fi
		for name in $order; do
			port=$redis_port
			[[ $name == ferrite ]] && port=$ferrite_port
			echo "round $round/$ROUNDS, -P $depth, $name..." >&2
			run "$name" "$port" "$depth"
		done
	done
done

# Medians per (server, depth, test), then one row per (test, depth).
awk -F, '
function num(v, f) { return v == "" ? "n/a" : sprintf(f, v) }
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	if (n == 0) return ""
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $3 SUBSEP $2
	if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
	rps[$1, k] = rps[$1, k] " " $4
	p99[$1, k] = p99[$1, k] " " $5
}
END {
	printf "%-16s %3s %14s %14s %8s %10s %10s\n", "test", "-P", "redis ops/s", "ferrite ops/s", "ratio", "redis p99", "ferr p99"
	for (i = 1; i <= nk; i++) {
		k = order[i]; split(k, kp, SUBSEP)
		r = median(rps["redis", k]); f = median(rps["ferrite", k])
		printf "%-16s %3s %14s %14s %8s %10s %10s\n", kp[1], kp[2], num(r, "%.0f"), num(f, "%.0f"),
			(r != "" && f != "" ? sprintf("%.2f", f / r) : "n/a"), num(median(p99["redis", k]), "%.3f"), num(median(p99["ferrite", k]), "%.3f")
	}
}' "$results"
