#!/usr/bin/env bash
# Syscalls, context switches and CPU per message of a node in the closed loop at PAIRS pairs:
# runs bench/cpu-compare.sh for NODE_JAR (closed loop only), attaches `perf stat` to the node
# for WINDOW seconds inside the measured point, and divides by the messages of that window.
# Needs perf (linux-perf) and kernel.perf_event_paranoid <= 2. About 90 s.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_JAR=${NODE_JAR:-node/target/chat-node.jar} LABEL=${LABEL:-probe-$(git rev-parse --short HEAD)}
PAIRS=${PAIRS:-10} WINDOW=${WINDOW:-8} OUT=${OUT:-bench/results/syscall-probe}
mkdir -p "$OUT"
CHAT=0 PAIRS=$PAIRS SECONDS_PER_POINT=$((WINDOW + 6)) OUT=$OUT NODE_JAR=$NODE_JAR LABEL=$LABEL \
  bash bench/cpu-compare.sh >"$OUT/$LABEL.log" 2>&1 &
run=$!
for _ in $(seq 1 900); do pgrep -f -- "--pairs $PAIRS " >/dev/null && break; sleep 0.2; done
sleep 4 # past the point's warm-up
node=$(pgrep -f -- "java .*-jar $NODE_JAR" | head -1)
perf stat -x, -e context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_futex,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait,task-clock \
  -p "$node" -- sleep "$WINDOW" 2>"$OUT/$LABEL.perf"
wait $run
rate=$(grep "^$LABEL " "$OUT/summary.txt" | tail -1 | awk '{print $5}' | tr -d ,)
python3 - "$OUT/$LABEL.perf" "$rate" "$WINDOW" "$LABEL" <<'PY'
import sys
path, rate, window, label = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
msgs = rate * window
print(f"{label}: {rate:,.0f} msg/s; per message:", end="")
for line in open(path):
    f = line.strip().split(",")
    if len(f) > 2 and f[0].replace(".", "").isdigit():
        value, name = float(f[0]), f[2].split(":")[-1].replace("sys_enter_", "").replace("sys_enter", "syscalls")
        print(f" {name} {value * (1000 if name == 'task-clock' else 1) / msgs:.2f}{' us' if name == 'task-clock' else ''}", end="")
print()
PY
