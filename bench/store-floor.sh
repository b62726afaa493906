#!/usr/bin/env bash
# What storing one batch of 1:1 messages costs MariaDB itself, with no node in the way (issue 9):
# the same statements the node sends, replayed from one mariadb client session, N times each, on a
# scratch database with the node's schema (sql/V*.sql). Prints, per statement, the wall time the
# client saw and the mariadbd CPU it cost (from /proc, so run it on the database's machine), and
# the same per message. Nothing else should run meanwhile.
#
#   DB_HOST=127.0.0.1 DB_USER=chat DB_PASSWORD=chat-ci-pw bench/store-floor.sh
#
# Steps: a bare round trip (SELECT 1); the cheapest durable write there is (one autocommit INSERT
# of 5 rows into a table with only a primary key); the same 5 rows into `messages` with its four
# secondary indexes; store_direct (sql/V14) with batches of 1, 5, 25 and 100 messages, as the
# node calls it; and two client sessions calling it at once on other recipients. The database is
# dropped at the end. About 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-3306} DB_USER=${DB_USER:-chat} DB_PASSWORD=${DB_PASSWORD:-chat-ci-pw}
N=${N:-2000}
DB=store_floor_$$
MARIADBD_PID=${MARIADBD_PID:-$(pgrep -xo mariadbd || true)}
[[ -n "$MARIADBD_PID" ]] || { echo "no mariadbd on this machine: set MARIADBD_PID"; exit 1; }
WORK=$(mktemp -d)
sql() { mariadb -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASSWORD" "$@"; }
cleanup() { sql -e "DROP DATABASE IF EXISTS $DB" || true; rm -rf "$WORK"; }
trap cleanup EXIT

sql -e "CREATE DATABASE $DB"
for f in $(ls sql/V*.sql | sort -V); do sql "$DB" <"$f"; done
sql "$DB" -e "CREATE TABLE floor_rows (rcpt INT NOT NULL, seq BIGINT NOT NULL, sender INT NOT NULL,
  body MEDIUMTEXT NOT NULL, at DATETIME NOT NULL, PRIMARY KEY (rcpt, seq))"
# users 1..400: senders 1..100, recipients 201..300 (a second session uses 301..400)
seq 400 | awk 'BEGIN { printf "INSERT INTO users (name, password_hash) VALUES " }
  { printf "%s(\"floor%d\", \"x\")", (NR > 1 ? "," : ""), $1 } END { print ";" }' | sql "$DB"

# gen KIND PER FIRST_ID RCPT_BASE [COUNT]: COUNT (N) statements of KIND, PER messages each, ids from FIRST_ID
gen() {
  awk -v kind="$1" -v per="$2" -v id="$3" -v base="$4" -v n="${5:-$N}" 'BEGIN {
    text = "a message of the floor bench, about as long as one of the bench"; at = "2026-11-26 10:00:00"
    for (b = 0; b < n; b++) {
      if (kind == "select1") { print "SELECT 1;"; continue }
      delete cnt; rows = ""; recips = ""
      for (j = 0; j < per; j++) {
        s = 1 + (b * per + j) % 100; r = base + s; k = ++cnt[r]
        if (kind == "rows") row = sprintf("(%d,%d,%d,\"%s\",\"%s\")", r, id + j, s, text, at)
        else if (kind == "messages") row = sprintf("(%d,%d,%d,NULL,\"%s\",\"%s\",NULL)", id + j, s, r, text, at)
        else row = sprintf("[%d,%d,\"%s\",\"%s\",null,%d]", s, r, text, at, k)
        rows = rows (j ? "," : "") row
      }
      if (kind == "rows") print "INSERT INTO floor_rows (rcpt, seq, sender, body, at) VALUES " rows ";"
      else if (kind == "messages") print "INSERT INTO messages (id, sender_id, to_id, group_id, body, created_at, client_msg_id) VALUES " rows ";"
      else {
        first = 1
        for (u = base + 1; u <= base + 100; u++) if (u in cnt) { recips = recips (first ? "" : ",") "[" u "," cnt[u] "]"; first = 0 }
        printf "CALL store_direct(%d, '"'"'[%s]'"'"', '"'"'[%s]'"'"', 1000000000, 2);\n", id, rows, recips
      }
      id += per
    }
  }'
}

cpu() { awk '{ print $14 + $15 }' "/proc/$MARIADBD_PID/stat"; }
hz=$(getconf CLK_TCK)
# step LABEL MESSAGES_PER_STATEMENT FILE...: the files run at once, one client session each
step() {
  local label=$1 per=$2
  shift 2
  local c0 t0 t1 c1 statements=0 f
  for f in "$@"; do statements=$((statements + $(wc -l <"$f"))); done
  c0=$(cpu) t0=$(date +%s%N)
  local pids=()
  for f in "$@"; do sql "$DB" <"$f" >/dev/null & pids+=($!); done
  for f in "${pids[@]}"; do wait "$f" || { echo "step failed: $label"; exit 1; }; done
  t1=$(date +%s%N) c1=$(cpu)
  awk -v l="$label" -v per="$per" -v n="$statements" -v ns=$((t1 - t0)) -v ticks=$((c1 - c0)) -v hz="$hz" -v s=$# 'BEGIN {
    wall = ns / 1000 / n * s; cpu = ticks * 1e6 / hz / n
    if (per > 0) printf "%-44s %8.0f %8.0f %11.1f %9.0f\n", l, wall, cpu, cpu / per, n * per / (ns / 1e9)
    else printf "%-44s %8.0f %8.0f\n", l, wall, cpu }'
}

gen select1 0 0 0 >"$WORK/select1.sql"
gen rows 5 1 200 >"$WORK/rows.sql"
gen messages 5 1 200 >"$WORK/messages.sql"
gen call 1 10000001 200 >"$WORK/call1.sql"
gen call 5 20000001 200 >"$WORK/call5.sql"
gen call 25 30000001 200 >"$WORK/call25.sql"
gen call 100 40000001 200 $((N / 4)) >"$WORK/call100.sql"
gen call 5 60000001 200 >"$WORK/call5a.sql"
gen call 5 50000001 300 >"$WORK/call5b.sql"

echo "MariaDB $(sql -N -e 'SELECT VERSION()'), innodb_flush_log_at_trx_commit=$(sql -N -e 'SELECT @@innodb_flush_log_at_trx_commit'), $N statements per step"
printf "%-44s %8s %8s %11s %9s\n" "step (per statement)" "wall µs" "CPU µs" "CPU µs/msg" "msg/s"
step "SELECT 1 (a round trip)" 0 "$WORK/select1.sql"
step "INSERT 5 rows, primary key only, autocommit" 5 "$WORK/rows.sql"
step "INSERT 5 rows into messages, autocommit" 5 "$WORK/messages.sql"
step "store_direct, 1 message" 1 "$WORK/call1.sql"
step "store_direct, 5 messages" 5 "$WORK/call5.sql"
step "store_direct, 25 messages" 25 "$WORK/call25.sql"
step "store_direct, 100 messages" 100 "$WORK/call100.sql"
step "store_direct, 5 messages, two sessions" 5 "$WORK/call5a.sql" "$WORK/call5b.sql"
