#!/usr/bin/env bash
# The closed loop side by side (issue 9): the `closed` scenario against the in-memory relay (the
# ceiling), the classic C++ server (when built in $CLASSIC_DIR by ../shared/classic-peer/build.sh,
# otherwise skipped) and this node (embedded default, flood limits lifted as in run-all.sh), one
# after the other on 127.0.0.1. Writes bench/results/*-closed.json with one series id, then
# docs/benchmarks.md (REPORT=0 skips that: run-all.sh writes it once at its end).
# About 4 minutes with the defaults; every step is bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # start_node, wait_healthy, bench, stop_started, write_report

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PAIRS=${PAIRS:-10,50,200} SECONDS_PER_POINT=${SECONDS_PER_POINT:-10} WARMUP=${WARMUP:-3} DRAIN=${DRAIN:-3}
INITIAL_WARMUP=${INITIAL_WARMUP:-10} # once per peer, before its first point
RELAY_PORT=${RELAY_PORT:-6190} CLASSIC_PORT=${CLASSIC_PORT:-6191} NODE_PORT=${NODE_PORT:-6192} NODE_HTTP=${NODE_HTTP:-8193}
CLASSIC_DIR=${CLASSIC_DIR:-/tmp/classic}
# the classic server keeps its users in its own database, so their ids are kept beside it
CLASSIC_STATE=${CLASSIC_STATE:-$CLASSIC_DIR/bench-state}
SERIES=${SERIES:-closed-$(date -u +%Y%m%d-%H%M%S)}
OUT=${OUT:-bench/results}
DOCS=${DOCS:-docs}
LOGS=${LOGS:-bench/target/closed-loop}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx1g}
NOTE=${NOTE:-closed-loop.sh}
REPORT=${REPORT:-1}

points=$(tr ',' '\n' <<<"$PAIRS" | wc -l)
# logins and set-up, then each point: warm-up, measure, drain, with room for a slow machine
BENCH_TIMEOUT=$((120 + INITIAL_WARMUP + points * (WARMUP + SECONDS_PER_POINT + DRAIN + 10)))

mkdir -p "$LOGS" "$OUT"
STARTED=()
CLASSIC_PID= CLASSIC_RAN= REDIS_WAS_UP=
stop_classic() { # SIGINT: it signs its users off, then exits
  [[ -n "$CLASSIC_PID" ]] || return 0
  kill -INT "$CLASSIC_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$CLASSIC_PID" 2>/dev/null || break; sleep 0.1; done
  CLASSIC_PID=
}
cleanup() {
  stop_started
  stop_classic
  if [[ -n "$CLASSIC_RAN" && -z "$REDIS_WAS_UP" ]]; then
    redis-cli -p 6380 shutdown nosave >/dev/null 2>&1 || true # its start.sh started it for this run
  fi
  rm -rf "$LOGS/node-data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f node/target/chat-node.jar || ! -f bench/target/chat-bench.jar ]]; then
  echo "building..."
  mvn -q -o package -DskipTests -pl node,bench -am
fi
echo "series $SERIES: pairs $PAIRS, $SECONDS_PER_POINT s per point, warm-up $INITIAL_WARMUP s once then $WARMUP s per point; logs in $LOGS"

closed() { # peer target state-dir more-options...
  bench closed --peer "$1" --target "$2" --state-dir "$3" --series "$SERIES" --pairs "$PAIRS" \
    --seconds "$SECONDS_PER_POINT" --warmup-seconds "$WARMUP" --initial-warmup-seconds "$INITIAL_WARMUP" \
    --drain-seconds "$DRAIN" "${@:4}"
}

wait_port() { # port pid; looks at the listening socket without connecting: the classic server
  # has crashed on a connection that closed while others were logging in
  for _ in $(seq 100); do
    if [[ -n "$(ss -Hltn "sport = :$1")" ]]; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "server for port $1 died, see $LOGS"; exit 1; }
    sleep 0.1
  done
  echo "nothing listens on $1 after 10 s"; exit 1
}

# 1. the relay: the ceiling (no state worth keeping: any login works)
rm -rf "$LOGS/state-relay"
java -Xmx512m -jar bench/target/chat-bench.jar relay --listen "127.0.0.1:$RELAY_PORT" --max-seconds $((BENCH_TIMEOUT + 60)) \
  >"$LOGS/relay.log" 2>&1 &
STARTED+=($!)
wait_port "$RELAY_PORT" "$!"
closed relay "127.0.0.1:$RELAY_PORT" "$LOGS/state-relay"
stop_started

# 2. the classic C++ server, if it was built here
if [[ -x "$CLASSIC_DIR/start.sh" ]]; then
  redis-cli -p 6380 ping >/dev/null 2>&1 && REDIS_WAS_UP=1
  CLASSIC_RAN=1
  CLASSIC_PID=$("$CLASSIC_DIR/start.sh" "$CLASSIC_PORT" | tail -1)
  wait_port "$CLASSIC_PORT" "$CLASSIC_PID"
  # one login at a time: its logins subscribe on one Redis context shared by its threads
  closed classic "127.0.0.1:$CLASSIC_PORT" "$CLASSIC_STATE" --login-concurrency 1
  stop_classic
else
  echo "classic C++ server skipped: $CLASSIC_DIR/start.sh not found (build it with ../shared/classic-peer/build.sh)"
fi

# 3. this node: embedded MariaDB in a fresh data dir, bcrypt cost 4 so that setting up users is quick
rm -rf "$LOGS/node-data" "$LOGS/state-node"
start_node closed "$NODE_PORT" "$NODE_HTTP" CHAT_DATA_DIR="$LOGS/node-data" CHAT_BCRYPT_COST=4
wait_healthy "$NODE_HTTP" "$PID_closed"
closed node "127.0.0.1:$NODE_PORT" "$LOGS/state-node" --server-pid "$PID_closed"
stop_started

if [[ "$REPORT" != 0 ]]; then
  write_report
fi
