#!/bin/sh
# Issue 3's memory target, side by side: for each dataset (100k hashes of 10
# fields, 100k zsets of 50 members) start a fresh redis-server and a fresh
# Ferrite, load the same data into each with bench/memory, and print
# used_memory and RSS of both and Ferrite/Redis ratios.
#
#   bench/memory/run.sh [runs]      # default 1 run per dataset and server
#
# Ports $REDIS_PORT (default 7601, redis-server) and $FERRITE_PORT (default
# 7602). Needs redis-server and redis-cli in PATH.
set -e
cd "$(dirname "$0")/../.."
runs=${1:-1}
rp=${REDIS_PORT:-7601}
fp=${FERRITE_PORT:-7602}
go build -o /tmp/ferrite-mem .
go build -o /tmp/ferrite-memload ./bench/memory
fpid=
cleanup() {
  redis-cli -p "$rp" shutdown nosave >/dev/null 2>&1 || true
  [ -n "$fpid" ] && kill "$fpid" 2>/dev/null || true
}
trap cleanup EXIT

wait_up() { for _ in $(seq 50); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; echo "port $1 not up" >&2; exit 1; }

for ds in hash zset; do
  for r in $(seq "$runs"); do
    # In the foreground, as Ferrite runs: a daemonized redis-server is
    # a forked child, which starts without the parent's file pages mapped
    # (libcrypto's and the binary's, touched at startup), and shows some
    # 5 MB less RSS for that alone.
    redis-server --port "$rp" --save '' --appendonly no >/dev/null &
    wait_up "$rp"
    red=$(/tmp/ferrite-memload -addr 127.0.0.1:"$rp" -dataset $ds)
    redis-cli -p "$rp" shutdown nosave >/dev/null 2>&1 || true
    wait

    /tmp/ferrite-mem --port "$fp" --save '' --appendonly no >/dev/null 2>&1 &
    fpid=$!
    wait_up "$fp"
    fer=$(/tmp/ferrite-memload -addr 127.0.0.1:"$fp" -dataset $ds)
    kill "$fpid"; wait "$fpid" 2>/dev/null || true
    fpid=

    echo "redis   $red"
    echo "ferrite $fer"
    echo "$red
$fer" | awk -v ds=$ds '{for(i=2;i<=NF;i++){split($i,kv,"=");v[NR,kv[1]]=kv[2]}}
      END{printf "%s ratio ferrite/redis: used_memory %.2f  used_memory_rss %.2f  vmrss %.2f\n", ds,
        v[2,"used_memory"]/v[1,"used_memory"], v[2,"used_memory_rss"]/v[1,"used_memory_rss"], v[2,"vmrss"]/v[1,"vmrss"]}'
  done
done
