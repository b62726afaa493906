#!/usr/bin/env bash
# The real classic C++ client (fixbug666/chatserver's ChatClient, what classic users run) against
# this node, unchanged: two ChatClient processes in a private tmux server are typed through the
# classic walkthrough (register, login, friends, 1:1 online and offline, groups online and
# offline, lists with states and roles, Chinese text, loginout, quit), each pane is read with
# `tmux capture-pane` and checked for what the client must print. PASS/FAIL per step; exits 1
# on any failure, 2 when something it needs is missing. About 15 s; no fixed long sleeps, every
# wait is a poll bounded by STEP_TIMEOUT.
#
# The client is not built here: build it once with
#   bash ../shared/classic-peer/build.sh MUDUO_GIT_DIR CHATSERVER_GIT_DIR "$CLASSIC_DIR"
# The node is the jar NODE_JAR on a scratch database CHAT_DB_NAME (dropped and created again)
# on CHAT_DB_HOST when the mysql client may do that, else on the embedded MariaDB in a temporary
# data dir. Only the node and the tmux server this script started are stopped, by pid / socket.
set -uo pipefail
cd "$(dirname "$0")/.."

CLASSIC_DIR=${CLASSIC_DIR:-/tmp/classic}
CLIENT=${CLASSIC_CLIENT:-$CLASSIC_DIR/chatserver/bin/ChatClient}
NODE_JAR=${NODE_JAR:-node/target/chat-node.jar}
TCP=${CHAT_TCP_PORT:-16000} HTTP=${CHAT_HTTP_PORT:-18080} MGMT=${CHAT_MANAGEMENT_PORT:-19090}
DB_HOST=${CHAT_DB_HOST:-127.0.0.1} DB_PORT=${CHAT_DB_PORT:-3306} DB_USER=${CHAT_DB_USER:-chat}
DB_PASSWORD=${CHAT_DB_PASSWORD:-chat-ci-pw} DB_NAME=${CHAT_DB_NAME:-classiccheck}
STEP_TIMEOUT=${STEP_TIMEOUT:-10}
LOGS=${LOGS:-bench/target/classic-client-check}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx512m}

# start.sh is written last by build.sh: a clone alone holds a prebuilt bin/ChatClient of unknown origin
if [[ ! -x "$CLIENT" || ( -z "${CLASSIC_CLIENT:-}" && ! -x "$CLASSIC_DIR/start.sh" ) ]]; then
  echo "classic client not built: $CLIENT"
  echo "build it (2-4 min, apt-installs its build deps) with:"
  echo "  bash ../shared/classic-peer/build.sh /work/.mirror/chenshuo+muduo/repo /work/.mirror/fixbug666+chatserver/repo $CLASSIC_DIR"
  exit 2
fi
[[ -f "$NODE_JAR" ]] || { echo "no $NODE_JAR: mvn -B -o -q package -DskipTests -pl node -am"; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed"; exit 2; }
for p in "$TCP" "$HTTP" "$MGMT"; do
  [[ -z "$(ss -Hltn "sport = :$p")" ]] || { echo "port $p is taken: set CHAT_TCP_PORT, CHAT_HTTP_PORT, CHAT_MANAGEMENT_PORT"; exit 2; }
done

mkdir -p "$LOGS"
SOCK=classic-check-$$
NODE_PID= DATA_DIR=
T() { LC_ALL=C.UTF-8 tmux -L "$SOCK" "$@"; }
cleanup() {
  T kill-server 2>/dev/null
  if [[ -n "$NODE_PID" ]]; then
    kill "$NODE_PID" 2>/dev/null
    for _ in $(seq 200); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NODE_PID" 2>/dev/null
  fi
  [[ -n "$DATA_DIR" ]] && rm -rf "$DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
START=$(date +%s)

# --- the node, on a scratch database ---
db_env=()
if command -v mysql >/dev/null &&
  MYSQL_PWD=$DB_PASSWORD mysql -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" \
    -e "DROP DATABASE IF EXISTS \`$DB_NAME\`; CREATE DATABASE \`$DB_NAME\`" 2>"$LOGS/mysql.err"; then
  db_env=(CHAT_DB_HOST="$DB_HOST" CHAT_DB_PORT="$DB_PORT" CHAT_DB_USER="$DB_USER" CHAT_DB_PASSWORD="$DB_PASSWORD" CHAT_DB_NAME="$DB_NAME")
  echo "node: $NODE_JAR on database $DB_NAME at $DB_HOST:$DB_PORT (dropped and created)"
else
  DATA_DIR=$(mktemp -d /tmp/classic-check-data.XXXXXX)
  db_env=(CHAT_DATA_DIR="$DATA_DIR")
  echo "node: $NODE_JAR on the embedded MariaDB in $DATA_DIR ($DB_NAME could not be recreated: $(head -1 "$LOGS/mysql.err"))"
fi
env "${db_env[@]}" CHAT_TCP_PORT="$TCP" CHAT_HTTP_PORT="$HTTP" CHAT_MANAGEMENT_PORT="$MGMT" CHAT_BCRYPT_COST=4 \
  CHAT_DRAIN_MS=1000 CHAT_NODE_ID="classic-check-$$" java $NODE_JAVA_OPTS -jar "$NODE_JAR" >"$LOGS/node.log" 2>&1 &
NODE_PID=$!
for i in $(seq 1200); do
  curl -sf "http://127.0.0.1:$MGMT/health/live" >/dev/null && [[ -n "$(ss -Hltn "sport = :$TCP")" ]] && break
  kill -0 "$NODE_PID" 2>/dev/null || { echo "node died, see $LOGS/node.log"; tail -5 "$LOGS/node.log"; exit 2; }
  [[ $i -lt 1200 ]] || { echo "node not live after 120 s, see $LOGS/node.log"; exit 2; }
  sleep 0.1
done
echo "node up (pid $NODE_PID) after $(($(date +%s) - START)) s; chat port $TCP"

# --- two classic clients, panes a and b ---
printf 'set -g history-limit 50000\nset -g remain-on-exit on\n' >"$LOGS/tmux.conf"
T -u -f "$LOGS/tmux.conf" new-session -d -s check -n a -x 200 -y 50 "$CLIENT 127.0.0.1 $TCP"
T new-window -d -t check -n b "$CLIENT 127.0.0.1 $TCP"

declare -A MARK=([a]=1 [b]=1)
FAILED=0 STEPS=0
pane() { # whole history, wrapped lines joined, trailing blank lines dropped
  T capture-pane -p -J -S - -t "check:$1" | awk '{a[NR]=$0} END{n=NR; while(n>0 && a[n]=="") n--; for(i=1;i<=n;i++) print a[i]}'
}
mark() { MARK[$1]=$(pane "$1" | wc -l); [[ ${MARK[$1]} -gt 0 ]] || MARK[$1]=1; }
since() { pane "$1" | tail -n +"${MARK[$1]}"; } # from the last line before the mark on
type_in() { # pane line...: each line typed, then Enter
  local p=$1 l
  shift
  for l in "$@"; do T send-keys -t "check:$p" -l -- "$l"; T send-keys -t "check:$p" Enter; done
}
wait_for() { # pane ERE...: true once every pattern matches a line printed since the mark
  local p=$1 deadline=$((SECONDS + STEP_TIMEOUT)) re ok text
  shift
  while :; do
    text=$(since "$p") ok=1
    for re in "$@"; do grep -qE -- "$re" <<<"$text" || { ok=0; break; }; done
    [[ $ok == 1 ]] && return 0
    [[ $SECONDS -lt $deadline ]] || { MISSING=$re; return 1; }
    sleep 0.1
  done
}
pass() { STEPS=$((STEPS + 1)); printf 'PASS %2d %s\n' "$STEPS" "$1"; }
fail() { # step pane why
  STEPS=$((STEPS + 1)) FAILED=$((FAILED + 1))
  printf 'FAIL %2d %s\n     %s\n     pane %s since the step (last 25 lines):\n' "$STEPS" "$1" "$3" "$2"
  since "$2" | tail -25 | sed 's/^/     | /'
}
check() { # step pane ERE...
  local step=$1 p=$2
  shift 2
  if wait_for "$p" "$@"; then pass "$step"; else fail "$step" "$p" "expected a line matching: $MISSING"; fi
}
stored() { # kind: messages stored so far, from the node's metrics
  curl -sf "http://127.0.0.1:$MGMT/metrics" | awk -v k="kind=\"$1\"" '/^chat_messages_stored_total\{/ && index($0, k) {s += $NF} END {printf "%d", s}'
}
wait_stored() { # kind count
  local deadline=$((SECONDS + STEP_TIMEOUT))
  while [[ $(stored "$1") -lt $2 ]]; do
    [[ $SECONDS -lt $deadline ]] || return 1
    sleep 0.1
  done
}
menu() { # pane: back at the first menu (after loginout)
  wait_for "$1" '^1\. login' 'choice:'
}
login() { # pane id password
  mark "$1"
  type_in "$1" 1 "$2" "$3"
}
relogin() { # pane id password: loginout, then login on the same connection
  mark "$1"
  type_in "$1" loginout
  menu "$1" || fail "back at the menu after loginout" "$1" "no '1. login' / 'choice:' after loginout"
  login "$1" "$2" "$3"
}
# Classic has no reply to creategroup or addgroup, and the node does them asynchronously: a login
# sent right after may be read before they commit (the C++ server did each connection's requests
# in order). So a list that lacks them is read again with another login, as a user would; how
# many logins it took is printed.
relogin_until() { # step pane id password ERE...: log in again until the lists match
  local step=$1 p=$2 id=$3 pw=$4 n=0 deadline=$((SECONDS + STEP_TIMEOUT)) re ok
  shift 4
  while :; do
    n=$((n + 1))
    relogin "$p" "$id" "$pw"
    wait_for "$p" 'show command list' || break
    ok=1
    for re in "$@"; do since "$p" | grep -qE -- "$re" || { ok=0 MISSING=$re; break; }; done
    if [[ $ok == 1 ]]; then
      pass "$step$([[ $n -gt 1 ]] && echo " (shown at login $n)")"
      return 0
    fi
    [[ $SECONDS -lt $deadline ]] || break
    sleep 0.3 # stay well inside the per-address login rate
  done
  fail "$step" "$p" "after $n logins, no line matching: $MISSING"
}
TIME='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' # the classic "said" lines start with it
abort() { echo "cannot go on: $1"; exit 1; }

TAG=$(date +%s%N | tail -c 7)
NA=ann$TAG NB=bob$TAG PA=pw-a-$TAG PB=pw-b-$TAG GNAME=grp$TAG

wait_for a 'choice:' && wait_for b 'choice:' || abort "the clients did not show their menu"

# 1-2. register, the reply's id is what the user types to log in
mark a
type_in a 2 "$NA" "$PA"
check "register A ($NA)" a 'name register success, userid is [0-9]+, do not forget it!'
IDA=$(since a | sed -n 's/.*userid is \([0-9]*\),.*/\1/p' | tail -1)
mark b
type_in b 2 "$NB" "$PB"
check "register B ($NB)" b 'name register success, userid is [0-9]+, do not forget it!'
IDB=$(since b | sed -n 's/.*userid is \([0-9]*\),.*/\1/p' | tail -1)
[[ -n "$IDA" && -n "$IDB" ]] || abort "no user ids"
echo "     A = $IDA $NA, B = $IDB $NB"

mark a
type_in a 2 "$NA" other-pw
check "register a taken name: refused" a 'name is already exist, register error!'
login a "$IDA" wrong-pw
check "login with a wrong password: refused" a 'id or password is invalid!'

# 3. login A: no friends or groups yet
login a "$IDA" "$PA"
check "login A: user line, empty lists, command list" a "current login user => id:$IDA name:$NA\$" \
  '^-+friend list-+$' '^-+group list-+$' 'show command list' 'loginout : '
if since a | awk '/-friend list-/ {f = NR} /-group list-/ {g = NR} /^=+$/ && g && !e {e = NR} END {exit !(f && g == f + 1 && e == g + 1)}'; then
  pass "login A: both lists empty"
else fail "login A: both lists empty" a "lines between the list headers"; fi
type_in a "addfriend:$IDB"

# 4. login B in the second client, B adds A back (presence is by consent: both ways)
login b "$IDB" "$PB"
check "login B" b "current login user => id:$IDB name:$NB\$" 'show command list'
type_in b "addfriend:$IDA"

# 5. 1:1 online, both ways, Chinese text
mark b
type_in a "chat:$IDB:hello online $TAG"
check "chat A->B online" b "^$TIME \\[$IDA\\]$NA said: hello online $TAG\$"
mark a
type_in b "chat:$IDA:你好，世界 reply $TAG"
check "chat B->A online, Chinese text" a "^$TIME \\[$IDB\\]$NB said: 你好，世界 reply $TAG\$"

# 6. B logs out; A writes to B offline
mark b
type_in b loginout
if menu b; then pass "loginout B: back at the menu"; else fail "loginout B: back at the menu" b "no menu"; fi
mark b
type_in a "chat:$IDB:离线消息 offline $TAG"
if wait_stored direct 3; then pass "chat A->B while B is logged out: stored"; else
  fail "chat A->B while B is logged out: stored" a "chat_messages_stored_total{kind=direct} is $(stored direct), expected 3"
fi
# the connection stays open after loginout: nothing may reach it
if since b | grep -q "offline $TAG"; then fail "logged-out B gets nothing" b "the offline message reached the logged-out client"; else
  pass "logged-out B gets nothing"; fi

# 7. A creates a group, logs in again: friend B offline, the group with A as creator
mark a
type_in a "creategroup:$GNAME:测试群 desc $TAG"
relogin_until "creategroup, A logs in again: friend B offline, group with A creator" a "$IDA" "$PA" \
  "current login user => id:$IDA name:$NA\$" "^$IDB $NB offline\$" "^[0-9]+ $GNAME 测试群 desc $TAG\$" "^$IDA $NA online creator\$"
GID=$(since a | sed -n "s/^\([0-9]*\) $GNAME .*/\1/p" | tail -1)
[[ -n "$GID" ]] || abort "no group id"
echo "     group = $GID $GNAME"

# 8. B logs in again: the offline message, after the lists and before the command list
login b "$IDB" "$PB"
check "B logs in again: the offline message, friend A online" b "current login user => id:$IDB name:$NB\$" \
  "^$TIME \\[$IDA\\]$NA said: 离线消息 offline $TAG\$" "^$IDA $NA online\$" 'show command list'
if since b | awk -v t="offline $TAG" '/^=+$/ {eq = NR} index($0, t) && !msg {msg = NR} /show command list/ {help = NR}
    END {exit !(eq && msg > eq && help > msg)}'; then
  pass "offline message shown between the lists and the command list"
else fail "offline message shown between the lists and the command list" b "another order of the lists, the message and the command list"; fi

# 9. B joins; its next login lists the group with both roles
type_in b "addgroup:$GID"
relogin_until "addgroup, B logs in again: group with A creator, B normal" b "$IDB" "$PB" "^$GID $GNAME 测试群 desc $TAG\$" \
  "^$IDA $NA online creator\$" "^$IDB $NB online normal\$" "^$IDA $NA online\$"

# 10. group chat online, then offline
mark b
mark a
type_in a "groupchat:$GID:群聊 online $TAG"
check "groupchat online: B gets it" b "^群消息\\[$GID\\]:$TIME \\[$IDA\\]$NA said: 群聊 online $TAG\$"
mark b
type_in b loginout
menu b || fail "back at the menu after loginout" b "no menu"
type_in a "groupchat:$GID:群聊离线 offline $TAG"
if wait_stored group 2; then pass "groupchat while B is logged out: stored"; else
  fail "groupchat while B is logged out: stored" a "chat_messages_stored_total{kind=group} is $(stored group), expected 2"
fi
login b "$IDB" "$PB"
check "groupchat offline: B gets it at login" b "current login user => id:$IDB name:$NB\$" \
  "^群消息\\[$GID\\]:$TIME \\[$IDA\\]$NA said: 群聊离线 offline $TAG\$"

# 11. A logs out: B's next login shows A offline in both lists
mark a
type_in a loginout
menu a || fail "back at the menu after loginout" a "no menu"
relogin b "$IDB" "$PB"
check "A logged out: B's lists show A offline" b "^$IDA $NA offline\$" "^$IDA $NA offline creator\$" "^$IDB $NB online normal\$"

# 12. every message exactly once, none echoed to its sender; then loginout and quit
sleep 0.5 # time for a duplicate to show
count() { pane "$1" | grep -cF -- "$2"; }
counts="B:online=$(count b "said: hello online $TAG") B:offline=$(count b "said: 离线消息 offline $TAG")"
counts+=" A:reply=$(count a "said: 你好，世界 reply $TAG") B:group=$(count b "said: 群聊 online $TAG")"
counts+=" B:group-offline=$(count b "said: 群聊离线 offline $TAG") A:own-group=$(count a "said: 群聊")"
if [[ "$counts" == "B:online=1 B:offline=1 A:reply=1 B:group=1 B:group-offline=1 A:own-group=0" ]]; then
  pass "each message shown exactly once, not to its sender"
else fail "each message shown exactly once, not to its sender" b "counts: $counts"; fi

type_in b loginout
menu b || fail "back at the menu after loginout" b "no menu"
type_in a 3
type_in b 3
exits() { T list-panes -a -F '#{window_name}=#{pane_dead}/#{pane_dead_status}#{?pane_dead_signal,signal #{pane_dead_signal},}' | tr '\n' ' '; }
deadline=$((SECONDS + STEP_TIMEOUT))
# a pane is dead once its pty closes; the exit status follows when the process is reaped
until [[ "$(exits)" =~ ^a=1/[0-9s].*\ b=1/[0-9s] || $SECONDS -ge $deadline ]]; do sleep 0.1; done
status=$(exits)
if [[ "$status" == "a=1/0 b=1/0 " ]]; then pass "loginout, quit: both clients exit 0"; else
  fail "loginout, quit: both clients exit 0" a "panes (name=dead/status): $status"; fi

pane a >"$LOGS/pane-a.txt"
pane b >"$LOGS/pane-b.txt"
errors=$(grep -c ' ERROR ' "$LOGS/node.log")
echo "panes in $LOGS/pane-{a,b}.txt, node log $LOGS/node.log ($errors ERROR lines); $(($(date +%s) - START)) s"
if [[ $FAILED -gt 0 ]]; then
  echo "FAIL: $FAILED of $STEPS steps"
  exit 1
fi
echo "PASS: all $STEPS steps"
