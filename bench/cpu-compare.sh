#!/usr/bin/env bash
# CPU per message beside msg/s, for one node jar (NODE_JAR, default the one built here): a node on
# a fresh embedded MariaDB, then the closed loop at each of PAIRS and the chat saturation in the
# classic and the v2 protocol, each as its own bench run. Around each run the script reads
# utime+stime of the node and of every process under it (its mariadbd) from /proc, and divides
# by the messages the run delivered (warm-up included, as the CPU is). Run it for two jars one
# after the other on a quiet machine to compare them; the bench's JSON files land in OUT.
# About 3 minutes (CHAT=0 skips the chat runs); every bench run is bounded by its own time limits.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # start_node, wait_healthy, bench, stop_started

LABEL=${LABEL:-$(git rev-parse --short HEAD)}
PAIRS=${PAIRS:-10,50,200} SECONDS_PER_POINT=${SECONDS_PER_POINT:-10}
USERS=${USERS:-200} SAT_SECONDS=${SAT_SECONDS:-10}
NODE_PORT=${NODE_PORT:-6292} NODE_HTTP=${NODE_HTTP:-8293}
OUT=${OUT:-bench/results/cpu-compare}
LOGS=${LOGS:-bench/target/cpu-compare-$LABEL}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
NOTE=${NOTE:-cpu-compare.sh $LABEL}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-240}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx1g}
TICK=$(getconf CLK_TCK)

mkdir -p "$LOGS" "$OUT"
STARTED=()
trap 'stop_started; rm -rf "$LOGS/node-data"' EXIT
trap 'exit 130' INT TERM

tree() { # pid and every descendant
  echo "$1"
  for child in $(pgrep -P "$1" || true); do tree "$child"; done
}
ticks() { # utime+stime of a process tree (or, with a second argument, of the process alone), in clock ticks
  local sum=0
  for p in $( [[ $# -gt 1 ]] && echo "$1" || tree "$1"); do
    # fields 14 and 15, counted after the command name, which may hold spaces; a process that
    # ended since it was listed counts nothing
    local rest
    rest=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $rest
    [[ $# -ge 13 ]] || continue
    sum=$((sum + ${12} + ${13}))
  done
  echo "$sum"
}
delivered() { # the newest result file: messages delivered in the whole run, and the bench's measured msg/s
  python3 - "$(ls -t "$OUT"/*.json | head -1)" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["figures"]
if "points" in f:
    print(sum(p["received"] for p in f["points"]), sum(p["msgPerSec"] for p in f["points"]))
else:
    s = f["saturation"]
    print(s["received"] + sum(r["received"] for r in f.get("rates", [])), s["deliveredPerSec"])
PY
}
measure() { # name bench-args...
  local name=$1
  shift
  local before=$(ticks "$PID_cpu") jvm0=$(ticks "$PID_cpu" alone)
  bench "$@" >/dev/null
  local after=$(ticks "$PID_cpu") jvm1=$(ticks "$PID_cpu" alone)
  local figures=($(delivered))
  python3 -c "
n, rate, cpu, jvm = ${figures[0]}, ${figures[1]}, ($after - $before) / $TICK, ($jvm1 - $jvm0) / $TICK
print(f'$LABEL  {\"$name\":<16} {rate:>7,} msg/s   node+mariadbd {cpu * 1e6 / max(n, 1):6.1f} us CPU/msg, node JVM alone {jvm * 1e6 / max(n, 1):6.1f}   ({n} delivered, {cpu:.2f} s CPU)')
" | tee -a "$OUT/summary.txt"
}

rm -rf "$LOGS/node-data" "$LOGS/state"
start_node cpu "$NODE_PORT" "$NODE_HTTP" CHAT_DATA_DIR="$LOGS/node-data" CHAT_BCRYPT_COST=4
wait_healthy "$NODE_HTTP" "$PID_cpu"
T=127.0.0.1:$NODE_PORT
bench setup --state-dir "$LOGS/state" --target "$T" --users "$USERS" --setup-concurrency 32 >/dev/null
# one closed run to warm the JIT, not counted
bench closed --peer node --target "$T" --state-dir "$LOGS/state-closed" --prefix closed --pairs 50 --seconds 10 --warmup-seconds 3 \
  --initial-warmup-seconds 5 --drain-seconds 2 >/dev/null
for p in $(tr ',' ' ' <<<"$PAIRS"); do
  measure "closed $p pairs" closed --peer node --target "$T" --state-dir "$LOGS/state-closed" --prefix closed --pairs "$p" \
    --seconds "$SECONDS_PER_POINT" --warmup-seconds 2 --initial-warmup-seconds 0 --drain-seconds 2 --server-pid "$PID_cpu"
done
[[ "${CHAT:-1}" == 0 ]] && exit 0
measure "chat classic" chat --state-dir "$LOGS/state" --target "$T" --server-pid "$PID_cpu" --users "$USERS" \
  --warmup-seconds 3 --saturation-seconds "$SAT_SECONDS" --rates 1000 --rate-seconds 1 --drain-seconds 2
measure "chat v2" chat --state-dir "$LOGS/state" --protocol v2 --target "$T" --server-pid "$PID_cpu" --users "$USERS" \
  --warmup-seconds 3 --saturation-seconds "$SAT_SECONDS" --rates 1000 --rate-seconds 1 --drain-seconds 2
