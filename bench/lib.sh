# Shared by run-all.sh and closed-loop.sh (sourced, run from the repository root).
# Callers set LOGS, OUT, NOTE, NODE_JAVA_OPTS, BENCH_JAVA_OPTS and keep STARTED=() for their cleanup.

# The load comes from one address at rates no single user has: these lift the per-address and
# per-connection flood limits (everything else keeps its default).
NODE_UNLIMITED=(CHAT_MAX_CONNECTIONS_PER_IP=1000000 CHAT_CONNECT_RATE_PER_IP=1000000 CHAT_CONNECT_BURST_PER_IP=1000000
  CHAT_REQUEST_RATE=10000000 CHAT_REQUEST_BURST=10000000 CHAT_MESSAGE_RATE=10000000 CHAT_MESSAGE_BURST=10000000
  CHAT_MAX_CONNECTIONS=40000 CHAT_STRANGER_BACKLOG=100000000 CHAT_STRANGER_MESSAGES_PER_MIN=1000000
  CHAT_FRIEND_REQUESTS_PER_HOUR=1000000
  CHAT_LOGIN_RATE_PER_IP=100000 CHAT_LOGIN_BURST_PER_IP=100000 CHAT_HASH_QUEUE_PER_IP=64)

start_node() { # name tcp http extra-env...  -> PID_<name>
  local name=$1 tcp=$2 http=$3
  shift 3
  env CHAT_TCP_PORT="$tcp" CHAT_HTTP_PORT="$http" CHAT_MANAGEMENT_PORT=0 CHAT_NODE_ID="bench-$name-$$" "${NODE_UNLIMITED[@]}" "$@" \
    java $NODE_JAVA_OPTS -jar "${NODE_JAR:-node/target/chat-node.jar}" >"$LOGS/node-$name.log" 2>&1 &
  STARTED+=($!)
  eval "PID_$name=$!"
}

wait_healthy() { # http-port pid
  for _ in $(seq 120); do
    if curl -sf "http://127.0.0.1:$1/health" >/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "node on $1 died, see $LOGS"; exit 1; }
    sleep 1
  done
  echo "node on $1 not healthy after 120 s"; exit 1
}

stop_started() { # the processes this script started, by pid
  local pid
  for pid in "${STARTED[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED=()
}

bench() { # full output goes to bench.log; the console gets progress lines, not the JSON
  echo "== chat-bench $*"
  local rc
  set +e
  ${BENCH_TIMEOUT:+timeout "$BENCH_TIMEOUT"} java $BENCH_JAVA_OPTS -jar bench/target/chat-bench.jar "$@" --out "$OUT" --note "$NOTE" \
    2>&1 | tee -a "$LOGS/bench.log" | grep --line-buffered -v '^[ {}]'
  rc=${PIPESTATUS[0]}
  set -e
  [[ $rc -eq 0 ]] || { echo "scenario failed ($rc): $*"; exit 1; }
}

write_report() { # docs/benchmarks.md from every result in $OUT
  java -jar bench/target/chat-bench.jar report --in "$OUT" --out "$DOCS" \
    --title-note "${REPORT_NOTE:-Figures from bench/run-all.sh with its defaults on the machine listed: the bench, the nodes, MariaDB and Redis share its 2 cores. Results of earlier runs, before the optimisations described below, are kept in bench/results/before-optimisation/.}"
  echo "done: $DOCS/benchmarks.md"
}
