#!/usr/bin/env bash
# Compares how fast redis-server and Ferrite load the same dump.rdb.
#
#   bench/rdbload.sh              # 1M strings (DEBUG POPULATE) + 100k each of hashes, zsets, lists
#   KEYS=3000000 ROUNDS=5 bench/rdbload.sh
#
# redis-server writes the file; then each server is started ROUNDS times,
# alternating, on that file, and the "DB loaded from disk: N seconds" line
# of its log is taken. Prints the median of each and the ratio.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KEYS=${KEYS:-1000000}
ROUNDS=${ROUNDS:-3}
dir=$(mktemp -d)
trap 'redis-cli -p 7931 shutdown nosave >/dev/null 2>&1 || true; redis-cli -p 7932 shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
bin=${FERRITE_BIN:-$dir/ferrite}
[ -n "${FERRITE_BIN:-}" ] || go build -o "$bin" .

redis-server --port 7931 --save '' --appendonly no --dir "$dir" --enable-debug-command yes --daemonize yes --logfile "$dir/gen.log"
until redis-cli -p 7931 ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
redis-cli -p 7931 debug populate "$KEYS" >/dev/null
redis-cli -p 7931 eval "for i=1,100000 do redis.call('hset','h'..i,'a',i,'b','x','c',i*2) redis.call('zadd','z'..i,1,'a',2,'b',3,'c') redis.call('rpush','l'..i,'a','b','c') end return 1" 0 >/dev/null
redis-cli -p 7931 save >/dev/null
redis-cli -p 7931 shutdown nosave >/dev/null 2>&1 || true
echo "dump.rdb: $(stat -c %s "$dir/dump.rdb") bytes, $((KEYS + 300000)) keys"

loadtime() { # name, start command...
	local log=$1; shift
	: >"$log"
	"$@"
	until redis-cli -p 7932 ping 2>/dev/null | grep -q PONG; do sleep 0.05; done
	redis-cli -p 7932 shutdown nosave >/dev/null 2>&1 || true
	sleep 0.3
	grep -o 'DB loaded from disk: [0-9.]*' "$log" | tail -1 | awk '{print $5}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
r=() f=()
for ((i = 0; i < ROUNDS; i++)); do
	r+=("$(loadtime "$dir/r.log" redis-server --port 7932 --save '' --appendonly no --dir "$dir" --logfile "$dir/r.log" --daemonize yes)")
	"$bin" --port 7932 --save '' --dir "$dir" --logfile "$dir/f.log" &
	f+=("$(loadtime "$dir/f.log" true)")
	wait
done
rm=$(printf '%s\n' "${r[@]}" | median)
fm=$(printf '%s\n' "${f[@]}" | median)
echo "redis-server: ${r[*]} s (median $rm)"
echo "ferrite:      ${f[*]} s (median $fm)"
awk -v r="$rm" -v f="$fm" 'BEGIN {printf "load speed ferrite/redis: %.2fx\n", r / f}'
