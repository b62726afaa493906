#!/usr/bin/env bash
# Runs every bench scenario against two fresh local nodes, writes bench/results/*.json and
# docs/benchmarks.md. Sized for a 2-core machine: the whole script takes about 9 minutes (5 for
# the scenarios, then about 4 for closed-loop.sh: relay, classic C++ server if built, node).
# Override any size through the environment, e.g. RATES=1000,5000 CHAT_USERS=500 bench/run-all.sh
#
# Node A: bcrypt cost 4 (CHAT_BCRYPT_COST), used to set up users quickly and for chat, group,
#         idle. Hashes keep the cost they were made with, so these users log in fast anywhere.
# Node B: default bcrypt cost (10), used for the register storm, and as the second node of cross.
# Both nodes use Redis (needed for cross-node delivery) and share one fresh MariaDB database.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh # start_node, wait_healthy, bench, stop_started, write_report

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PORT_A=${PORT_A:-6110} HTTP_A=${HTTP_A:-8190}
PORT_B=${PORT_B:-6111} HTTP_B=${HTTP_B:-8191}
PORT_C=${PORT_C:-6112} HTTP_C=${HTTP_C:-8192}
DB=${DB:-chat_bench_$(date +%Y%m%d%H%M%S)}
DB_USER=${DB_USER:-chat} DB_PASSWORD=${DB_PASSWORD:-chat-ci-pw}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
OUT=${OUT:-bench/results}
DOCS=${DOCS:-docs}
LOGS=${LOGS:-bench/target/run-all}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx1g}
SETUP_USERS=${SETUP_USERS:-10000}
REG_SECONDS=${REG_SECONDS:-10} REG_CONCURRENCY=${REG_CONCURRENCY:-4}
CHAT_USERS=${CHAT_USERS:-200} RATES=${RATES:-5000,10000,15000,20000,25000} RATE_SECONDS=${RATE_SECONDS:-8}
SAT_SECONDS=${SAT_SECONDS:-10} WARMUP_SECONDS=${WARMUP_SECONDS:-15}
GROUP_SIZES=${GROUP_SIZES:-50,500} GROUP_RATES=${GROUP_RATES:-25000,50000,100000,150000} GROUP_SECONDS=${GROUP_SECONDS:-8}
GROUP_SENDERS=${GROUP_SENDERS:-10}
# one process may hold 20000 descriptors here (RLIMIT_NOFILE hard limit), the node as well
IDLE_COUNT=${IDLE_COUNT:-19000} IDLE_HOLD=${IDLE_HOLD:-20}
CROSS_RATES=${CROSS_RATES:-2000,5000,10000}
NOTE=${NOTE:-run-all.sh}

mkdir -p "$LOGS" "$OUT"
STARTED=()
cleanup() {
  stop_started
  if [[ -z "${KEEP_DB:-}" ]]; then
    mysql -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f node/target/chat-node.jar || ! -f bench/target/chat-bench.jar ]]; then
  echo "building..."
  mvn -q package -DskipTests
fi

mysql -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
# the users' state belongs to that database: one left by an earlier run (another database) made
# the cross-node step log in with stale passwords
rm -rf "$LOGS/state"
echo "database $DB, logs in $LOGS"

DB_ENV=(CHAT_DB_HOST=127.0.0.1 CHAT_DB_USER="$DB_USER" CHAT_DB_PASSWORD="$DB_PASSWORD" CHAT_DB_NAME="$DB")

start_node A "$PORT_A" "$HTTP_A" "${DB_ENV[@]}" CHAT_BCRYPT_COST=4
wait_healthy "$HTTP_A" "$PID_A" # A first: it applies the schema to the fresh database
start_node B "$PORT_B" "$HTTP_B" "${DB_ENV[@]}" CHAT_REDIS_URL="$REDIS_URL"
start_node C "$PORT_C" "$HTTP_C" "${DB_ENV[@]}" CHAT_REDIS_URL="$REDIS_URL" CHAT_BCRYPT_COST=4
wait_healthy "$HTTP_B" "$PID_B"
wait_healthy "$HTTP_C" "$PID_C"
echo "node A pid $PID_A (:$PORT_A, alone), node B pid $PID_B (:$PORT_B, Redis), node C pid $PID_C (:$PORT_C, Redis)"

A=127.0.0.1:$PORT_A
B=127.0.0.1:$PORT_B
C=127.0.0.1:$PORT_C
bench setup --state-dir "$LOGS/state" --target "$A" --users "$SETUP_USERS" --setup-concurrency 32
bench register --state-dir "$LOGS/state" --target "$B" --server-pid "$PID_B" --concurrency "$REG_CONCURRENCY" --seconds "$REG_SECONDS"
bench chat --state-dir "$LOGS/state" --target "$A" --server-pid "$PID_A" --users "$CHAT_USERS" --warmup-seconds "$WARMUP_SECONDS" --saturation-seconds "$SAT_SECONDS" \
  --rates "$RATES" --rate-seconds "$RATE_SECONDS" --drain-seconds 5
# the same against the same node in protocol v2 (every send answered after it is stored)
bench chat --state-dir "$LOGS/state" --protocol v2 --target "$A" --server-pid "$PID_A" --users "$CHAT_USERS" --warmup-seconds "$WARMUP_SECONDS" --saturation-seconds "$SAT_SECONDS" \
  --rates "$RATES" --rate-seconds "$RATE_SECONDS" --drain-seconds 5
bench group --state-dir "$LOGS/state" --target "$A" --server-pid "$PID_A" --sizes "$GROUP_SIZES" --delivery-rates "$GROUP_RATES" \
  --seconds "$GROUP_SECONDS" --senders "$GROUP_SENDERS" --drain-seconds 5
bench idle --state-dir "$LOGS/state" --target "$A" --server-pid "$PID_A" --count "$IDLE_COUNT" --hold-seconds "$IDLE_HOLD" --local-addresses 8
bench cross --state-dir "$LOGS/state" --target "$B" --target "$C" --server-pid "$PID_B" --server-pid "$PID_C" --users "$CHAT_USERS" --warmup-seconds "$WARMUP_SECONDS" \
  --saturation-seconds "$SAT_SECONDS" --rates "$CROSS_RATES" --rate-seconds "$RATE_SECONDS" --drain-seconds 5


# the closed loop beside the classic C++ server and the relay: the nodes above are stopped first,
# so that the three peers of that table get the machine to themselves, one after the other
stop_started
REPORT=0 OUT="$OUT" NOTE="$NOTE" bench/closed-loop.sh

write_report
