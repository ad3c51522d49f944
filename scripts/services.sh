#!/usr/bin/env bash
# Real engines for tests and local distributed runs, as native processes on 127.0.0.1:
# PostgreSQL and Redis from Debian packages, Kafka (KRaft, single node) from Maven Central jars.
#   scripts/services.sh install|up|down|kill|status|env [postgres|redis|kafka|nginx|chromium|pango|helm|actionlint|buildah|vault]
#   scripts/services.sh tool helm     (path of a Go-built tool in the cache)
# `up` is idempotent: an engine already answering on its port is left alone, so several checkouts
# on one machine share one set of servers. Tests create their own databases and topics.
# A private set (fault tests restart engines there, never the shared ones): point the state dir and
# ports elsewhere, e.g. RESERVO_SERVICES_STATE=/tmp/x RESERVO_PG_PORT=56432 RESERVO_KAFKA_PORT=59192.
# nginx is only installed here (the gateway runs per test/run with a generated config, unprivileged).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Outside $HOME: the unprivileged PostgreSQL user must reach it when we run as root.
STATE=${RESERVO_SERVICES_STATE:-${RESERVO_SERVICES_DIR:-/var/tmp/reservo-services}}
CACHE=${RESERVO_SERVICES_CACHE:-$HOME/.cache/reservo}
PG_PORT=${RESERVO_PG_PORT:-55432}
REDIS_PORT=${RESERVO_REDIS_PORT:-56379}
KAFKA_PORT=${RESERVO_KAFKA_PORT:-59092}
KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))
LIBS=$CACHE/kafka-libs
SVC_USER=reservo-svc   # PostgreSQL refuses to run as root

say() { printf 'services: %s\n' "$*" >&2; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
apt_install() {
  [ "$(id -u)" = 0 ] || { say "need root to apt-get install $*"; return 1; }
  if [ ! -f "$STATE/.apt-updated" ]; then apt-get update -qq >/dev/null; mkdir -p "$STATE"; touch "$STATE/.apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {  # wait_for <seconds> <name> <command...>
  local seconds=$1 name=$2; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start > seconds )); then say "$name did not come up in ${seconds}s"; return 1; fi
    sleep 0.5
  done
  say "$name up ($((SECONDS - start))s)"
}

# --- PostgreSQL -------------------------------------------------------------------------------
install_postgres() {
  [ -n "$(pg_bin)" ] || { say "installing postgresql"; apt_install postgresql; }
  id "$SVC_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$SVC_USER"
}
as_svc() { if [ "$(id -u)" = 0 ]; then runuser -u "$SVC_USER" -- "$@"; else "$@"; fi; }
up_postgres() {
  if port_open "$PG_PORT"; then say "postgres already up on $PG_PORT"; return; fi
  install_postgres
  local bin; bin=$(pg_bin)
  mkdir -p "$STATE/pg" "$STATE/pg-sock"
  [ "$(id -u)" = 0 ] && chown -R "$SVC_USER" "$STATE/pg" "$STATE/pg-sock"
  if [ ! -f "$STATE/pg/PG_VERSION" ]; then
    say "initdb"
    as_svc "$bin/initdb" -D "$STATE/pg" -U reservo --auth=trust -E UTF8 >/dev/null
    # A throwaway test server: durability is traded for speed, never do this in production.
    cat >>"$STATE/pg/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$STATE/pg-sock'
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  say "starting postgres"
  as_svc "$bin/pg_ctl" -D "$STATE/pg" -l "$STATE/pg-sock/pg.log" -w -t 60 start >/dev/null \
    || { tail -20 "$STATE/pg-sock/pg.log" >&2; return 1; }
  wait_for 60 postgres "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT"
}
down_postgres() {
  local bin; bin=$(pg_bin)
  [ -f "$STATE/pg/postmaster.pid" ] && as_svc "$bin/pg_ctl" -D "$STATE/pg" -m fast -w stop >/dev/null || true
}
kill_postgres() { [ -f "$STATE/pg/postmaster.pid" ] && kill -9 "$(head -1 "$STATE/pg/postmaster.pid")" 2>/dev/null || true; }

# --- Redis ------------------------------------------------------------------------------------
install_redis() { command -v redis-server >/dev/null || { say "installing redis-server"; apt_install redis-server; }; }
up_redis() {
  if port_open "$REDIS_PORT"; then say "redis already up on $REDIS_PORT"; return; fi
  install_redis
  mkdir -p "$STATE/redis"
  say "starting redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$STATE/redis" --logfile "$STATE/redis.log" --pidfile "$STATE/redis.pid" >/dev/null
  wait_for 30 redis redis-cli -p "$REDIS_PORT" ping
}
down_redis() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }
kill_redis() { [ -f "$STATE/redis.pid" ] && kill -9 "$(cat "$STATE/redis.pid")" 2>/dev/null || true; }

# --- Kafka ------------------------------------------------------------------------------------
install_kafka() {
  command -v java >/dev/null || { say "installing java"; apt_install default-jre-headless; }
  if ! ls "$LIBS"/kafka-tools-[0-9]*.jar >/dev/null 2>&1; then
    command -v mvn >/dev/null || { say "installing maven"; apt_install maven; }
    say "resolving kafka jars from Maven Central into $LIBS"
    mvn -q -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS"
  fi
}
kafka_ready() { java -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list; }
up_kafka() {
  if port_open "$KAFKA_PORT"; then say "kafka already up on $KAFKA_PORT"; return; fi
  install_kafka
  mkdir -p "$STATE/kafka-data"
  local props=$STATE/kafka.properties
  cat >"$props" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$STATE/kafka-data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
CONF
  if [ ! -f "$STATE/kafka-data/meta.properties" ]; then
    # A cluster id (22 URL-safe base64 characters) must not start with "-": the format tool would
    # read it as an option ("argument --cluster-id: expected one argument"), one start in 64.
    local id=-
    while [ "${id#-}" != "$id" ]; do id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
    java -cp "$LIBS/*" kafka.tools.StorageTool format -t "$id" -c "$props" --ignore-formatted >/dev/null
  fi
  say "starting kafka"
  setsid nohup java -Xms256m -Xmx512m -cp "$LIBS/*" -Dlog4j.configuration=file:/dev/null kafka.Kafka "$props" \
    >"$STATE/kafka.log" 2>&1 < /dev/null &
  echo $! >"$STATE/kafka.pid"
  wait_for 120 kafka kafka_ready || { tail -20 "$STATE/kafka.log" >&2; return 1; }
}
stop_pid() {  # stop_pid <pidfile> <signal>
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  rm -f "$1"
}
down_kafka() { stop_pid "$STATE/kafka.pid" TERM; }
kill_kafka() { stop_pid "$STATE/kafka.pid" KILL; }

# --- nginx (the local gateway; config from `reservo gateway-config --format nginx`) -------------
install_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { say "installing nginx-light"; apt_install nginx-light; }; }

# --- Chromium (browser tests: Debian's build driven by Playwright; no browser is ever downloaded) ----
install_chromium() { command -v chromium >/dev/null || { say "installing chromium"; apt_install chromium; }; }
# WeasyPrint prints receipts with Pango (a shared library, not a PyPI wheel).
install_pango() { ldconfig -p | grep -q libpangoft2-1.0 || { say "installing pango"; apt_install libpango-1.0-0 libpangoft2-1.0-0; }; }

# --- Build and delivery tools: helm, actionlint from the Go module proxy; buildah + debootstrap ----
# Go tools are built once into $CACHE/bin (outside the repository); `tool_path NAME` prints the path.
GO_TOOLS_BIN=$CACHE/bin
go_tool() {  # go_tool <name> <module/cmd@version>
  [ -x "$GO_TOOLS_BIN/$1" ] && return 0
  command -v go >/dev/null || { say "go is needed to build $1"; return 1; }
  say "building $1 from the Go module proxy ($2; a few minutes on 2 cores, once)"
  mkdir -p "$GO_TOOLS_BIN"
  GOBIN=$GO_TOOLS_BIN GOFLAGS=-buildvcs=false CGO_ENABLED=0 go install "$2"
}
install_helm() { go_tool helm helm.sh/helm/v3/cmd/helm@v3.22.0; }
install_actionlint() { go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; }
# Vault: `go install` refuses its module (replace directives point at nested modules), so the module
# source and its nested api/sdk modules are fetched from the proxy and built as the main module.
VAULT_VERSION=v1.19.5
# The in-tree sdk of that tag is newer than the sdk version its go.mod names; v0.17.0 is the release
# that matches it (the go.mod's v0.15.2 lacks plugin tiers and does not compile).
VAULT_SDK_VERSION=v0.17.0
install_vault() {
  [ -x "$GO_TOOLS_BIN/vault" ] && return 0
  command -v go >/dev/null || { say "go is needed to build vault"; return 1; }
  say "building vault $VAULT_VERSION from the Go module proxy (several minutes on 2 cores, once)"
  local src; src=$(mktemp -d)
  local dir; dir=$(go mod download -json "github.com/hashicorp/vault@$VAULT_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  cp -r "$dir/." "$src/" && chmod -R u+w "$src"
  local m v nested
  for m in api api/auth/approle api/auth/kubernetes api/auth/userpass sdk; do
    v=$(awk -v m="github.com/hashicorp/vault/$m" '$1 == m && $2 ~ /^v/ {print $2; exit}' "$src/go.mod")
    [ "$m" = sdk ] && v=$VAULT_SDK_VERSION
    nested=$(go mod download -json "github.com/hashicorp/vault/$m@$v" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    mkdir -p "$src/$m" && cp -r "$nested/." "$src/$m/" && chmod -R u+w "$src/$m"
  done
  mkdir -p "$GO_TOOLS_BIN"
  (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -o "$GO_TOOLS_BIN/vault" .)
  rm -rf "$src"
}
install_buildah() {
  command -v buildah >/dev/null || { say "installing buildah"; apt_install buildah; }
  command -v debootstrap >/dev/null || { say "installing debootstrap"; apt_install debootstrap; }
}

status_line() { if port_open "$2"; then echo "$1 up 127.0.0.1:$2"; else echo "$1 down 127.0.0.1:$2"; fi; }

main() {
  local cmd=${1:-status}; shift || true
  local engines=("$@"); [ ${#engines[@]} -gt 0 ] || engines=(postgres redis kafka)
  if [ "$cmd" = install ] && [ $# -eq 0 ]; then engines+=(nginx chromium pango helm actionlint buildah vault); fi
  mkdir -p "$STATE" "$CACHE"
  case $cmd in
    install) for e in "${engines[@]}"; do "install_$e"; done ;;
    up) for e in "${engines[@]}"; do "up_$e"; done ;;
    down) for e in "${engines[@]}"; do "down_$e"; done ;;
    kill) for e in "${engines[@]}"; do "kill_$e"; done ;;
    status)
      status_line postgres "$PG_PORT"; status_line redis "$REDIS_PORT"; status_line kafka "$KAFKA_PORT" ;;
    env)
      echo "export RESERVO_TEST_POSTGRES_URL=postgresql://reservo@127.0.0.1:$PG_PORT/postgres"
      echo "export RESERVO_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
      echo "export RESERVO_TEST_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT" ;;
    tool) echo "$GO_TOOLS_BIN/${engines[0]}" ;;
    *) echo "usage: $0 install|up|down|kill|status|env|tool [postgres|redis|kafka|nginx|chromium|pango|helm|actionlint|buildah|vault]" >&2; exit 2 ;;
  esac
}
main "$@"
