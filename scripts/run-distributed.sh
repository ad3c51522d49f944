#!/usr/bin/env bash
# The distributed shape on this machine, without Docker: every service as `reservo serve X` +
# `reservo worker X` (own PostgreSQL database each, Kafka, Redis from scripts/services.sh) behind an
# unprivileged nginx whose config is generated from routes.toml, plus its companion `reservo
# gateway-meta` (/readyz over every service, merged /openapi.json and /docs).
#   scripts/run-distributed.sh [SERVICE...]        (default: all ten; Ctrl-C stops them)
# Env: GATEWAY_PORT (default 8000; busy = error), GATEWAY_RATE (requests per client address at the
#      gateway, default 20r/s; '' = off, for load tests from one address), RESERVO_KAFKA_TOPIC_PREFIX (default local.),
#      RUN_DIR (default: beside the engines' data, kept between runs: keys, emails, logs),
#      MAX_RESTARTS (default 3: a process that crashes more often stops the run).
# The engines (PostgreSQL, Redis, Kafka) keep running afterwards: `scripts/services.sh down` stops them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.venv/bin
STARTED=$SECONDS
say() { printf 'reservo: %s\n' "$*" >&2; }
step() { printf 'reservo: [%3ss] %s\n' "$((SECONDS - STARTED))" "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

GATEWAY_PORT=${GATEWAY_PORT:-8000}
if port_open "$GATEWAY_PORT"; then
  say "error: gateway port 127.0.0.1:$GATEWAY_PORT is busy (another run? set GATEWAY_PORT=...)"
  exit 1
fi

[ -x "$BIN/reservo" ] || { step "installing (make install)"; make -C "$ROOT" install >/dev/null; }
step "starting engines (PostgreSQL, Redis, Kafka)"
"$ROOT/scripts/services.sh" up 2>&1 | sed 's/^/    /' >&2
"$ROOT/scripts/services.sh" install nginx >&2
eval "$("$ROOT/scripts/services.sh" env)"
STATE=${RESERVO_SERVICES_STATE:-${RESERVO_SERVICES_DIR:-/var/tmp/reservo-services}}

services=("$@")
[ ${#services[@]} -gt 0 ] || mapfile -t services < <("$BIN/python" -c 'from reservo.services import NAMES; print("\n".join(NAMES))')
# Kept between runs, like the databases: the signing keys (tokens stay valid), emails and logs.
RUN_DIR=${RUN_DIR:-$STATE/distributed}
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/nginx" "$RUN_DIR/data" "$RUN_DIR/keys"
chmod 755 "$RUN_DIR"; chmod 700 "$RUN_DIR/keys"; chmod 777 "$RUN_DIR/nginx"
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_base=${RESERVO_TEST_POSTGRES_URL%/*}
export RESERVO_BUS=kafka RESERVO_KAFKA_BOOTSTRAP=$RESERVO_TEST_KAFKA_BOOTSTRAP RESERVO_REDIS_URL=$RESERVO_TEST_REDIS_URL
export RESERVO_KAFKA_TOPIC_PREFIX=${RESERVO_KAFKA_TOPIC_PREFIX:-local.} RESERVO_REDIS_PREFIX=local:
export RESERVO_DATABASE_URL=${pg_base/postgresql:/postgresql+asyncpg:}/reservo_local_{service}
export RESERVO_DATA_DIR=$RUN_DIR/data RESERVO_JWT_KEYS_DIR=$RUN_DIR/keys RESERVO_RELAY_POLL_SECONDS=0.3
export RESERVO_PUBLIC_URL=http://127.0.0.1:$GATEWAY_PORT
# The client address comes from the gateway's (overwritten) headers, and only from it.
export RESERVO_TRUSTED_PROXIES=127.0.0.1/32
# Log files are not terminals: plain lines without colour codes (RESERVO_LOG_JSON=true for JSON).
export RESERVO_LOG_JSON=${RESERVO_LOG_JSON:-false}

step "databases and migrations for ${#services[@]} service(s)"
"$BIN/python" - "${services[@]}" <<PY
import asyncio, sys, asyncpg
async def main():
    conn = await asyncpg.connect("$RESERVO_TEST_POSTGRES_URL")
    have = {r[0] for r in await conn.fetch("SELECT datname FROM pg_database")}
    for s in sys.argv[1:]:
        if f"reservo_local_{s}" not in have:
            await conn.execute(f'CREATE DATABASE "reservo_local_{s}"')
    await conn.close()
asyncio.run(main())
PY
"$BIN/reservo" migrate "${services[@]}" >"$RUN_DIR/logs/migrate.log" 2>&1 || { tail -20 "$RUN_DIR/logs/migrate.log" >&2; exit 1; }
if ! ls "$RUN_DIR/keys"/*.json >/dev/null 2>&1; then
  step "first run: making the signing key in $RUN_DIR/keys"
  "$BIN/reservo" keys rotate >&2
fi
if [ ${#services[@]} -eq "$("$BIN/python" -c 'from reservo.services import NAMES; print(len(NAMES))')" ]; then
  step "demo data (reservo seed; idempotent)"
  "$BIN/reservo" seed 2>&1 | tee "$RUN_DIR/logs/seed.log" | grep -E 'password|created' | sed 's/^/    /' >&2 || true
fi

# --- processes: name -> command; restarted when they crash, MAX_RESTARTS times at most -------------
declare -A cmd=() pid=() restarts=() port_of=()
MAX_RESTARTS=${MAX_RESTARTS:-3}
start() {  # start <name>
  local name=$1
  # shellcheck disable=SC2086
  ${cmd[$name]} >>"$RUN_DIR/logs/$name.log" 2>&1 &
  pid[$name]=$!
}
meta_port=$(free_port)
upstreams=()
for s in "${services[@]}"; do
  port_of[serve-$s]=$(free_port); port_of[worker-$s]=$(free_port)
  cmd[serve-$s]="$BIN/reservo serve $s --port ${port_of[serve-$s]}"
  cmd[worker-$s]="$BIN/reservo worker $s --health-port ${port_of[worker-$s]}"
  upstreams+=("--service-upstream=$s=127.0.0.1:${port_of[serve-$s]}")
  # Where a service asks the owner of what its replica has not seen yet (read-your-writes, D9-1).
  export "RESERVO_${s^^}_URL=http://127.0.0.1:${port_of[serve-$s]}"
done
cmd[gateway-meta]="$BIN/reservo gateway-meta --port $meta_port ${upstreams[*]}"
port_of[gateway-meta]=$meta_port
# The web app at / through the gateway (a copy beside nginx's files, so its unprivileged user reads it).
webapp=()
if [ -f "$ROOT/frontend/dist/index.html" ]; then
  rm -rf "$RUN_DIR/nginx/web" && cp -r "$ROOT/frontend/dist" "$RUN_DIR/nginx/web" && chmod -R a+rX "$RUN_DIR/nginx/web"
  webapp=(--webapp "$RUN_DIR/nginx/web")
fi
"$BIN/reservo" gateway-config --format nginx --listen "127.0.0.1:$GATEWAY_PORT" --run-dir "$RUN_DIR/nginx" \
  --rate "${GATEWAY_RATE-20r/s}" --upstream 127.0.0.1:9 --meta "127.0.0.1:$meta_port" "${upstreams[@]}" "${webapp[@]}" >"$RUN_DIR/nginx/nginx.conf"
nginx_cmd="nginx -e $RUN_DIR/nginx/error.log -p $RUN_DIR/nginx -c $RUN_DIR/nginx/nginx.conf"
if [ "$(id -u)" = 0 ]; then nginx_cmd="setpriv --reuid=nobody --regid=nogroup --clear-groups $nginx_cmd"; fi
cmd[gateway]="env PATH=$PATH:/usr/sbin $nginx_cmd"
port_of[gateway]=$GATEWAY_PORT
rm -f "$RUN_DIR"/logs/serve-*.log "$RUN_DIR"/logs/worker-*.log "$RUN_DIR"/logs/gateway*.log

stopping=""
cleanup() {
  trap - EXIT INT TERM
  for name in "${!pid[@]}"; do kill -TERM "${pid[$name]}" 2>/dev/null || true; done
  # Each process stops gracefully (a worker finishes the batch in hand); one still running after
  # STOP_TIMEOUT seconds (a worker still joining its Kafka group, say) is killed and named, so Ctrl-C
  # always ends the run.
  local deadline=$((SECONDS + ${STOP_TIMEOUT:-30}))
  for name in "${!pid[@]}"; do
    while kill -0 "${pid[$name]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "${pid[$name]}" 2>/dev/null; then
      say "$name did not stop within ${STOP_TIMEOUT:-30}s of SIGTERM; killing it (log: $RUN_DIR/logs/$name.log)"
      kill -KILL "${pid[$name]}" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  say "stopped (${stopping:-exit}). The engines keep running: scripts/services.sh status | down"
}
trap 'stopping="Ctrl-C"; exit 130' INT
trap 'stopping="SIGTERM"; exit 143' TERM
trap cleanup EXIT

step "starting ${#services[@]} API(s), ${#services[@]} worker(s), the gateway and its companion"
for name in "${!cmd[@]}"; do start "$name"; done

# Progress: each process as it answers; the gateway must come up (a port taken meanwhile is an error).
declare -A up=()
deadline=$((SECONDS + ${START_TIMEOUT:-600}))
while [ ${#up[@]} -lt ${#cmd[@]} ]; do
  for name in "${!cmd[@]}"; do
    [ -n "${up[$name]:-}" ] && continue
    if ! kill -0 "${pid[$name]}" 2>/dev/null; then
      say "error: $name exited while starting; last lines of $RUN_DIR/logs/$name.log:"
      tail -15 "$RUN_DIR/logs/$name.log" | sed 's/^/    /' >&2
      stopping="$name failed to start"; exit 1
    fi
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${port_of[$name]}/healthz"; then
      up[$name]=1; step "$name up (${#up[@]}/${#cmd[@]})"
    fi
  done
  if [ $SECONDS -gt $deadline ]; then stopping="start-up timed out"; say "error: start-up timed out"; exit 1; fi
  sleep 1
done
ready=$(curl -s --max-time 10 "http://127.0.0.1:$GATEWAY_PORT/readyz" | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["status"])' || echo unknown)

cat >&2 <<EOF
reservo: ready in $((SECONDS - STARTED))s ($ready): http://127.0.0.1:$GATEWAY_PORT  (docs: /docs, readiness: /readyz)
  process                port   log
$(for name in $(printf '%s\n' "${!port_of[@]}" | sort); do printf '  %-22s %-6s %s\n' "$name" "${port_of[$name]}" "$RUN_DIR/logs/$name.log"; done)
  emails: $RUN_DIR/data/outbox   keys: $RUN_DIR/keys   gateway access log: $RUN_DIR/nginx/access.log
  Ctrl-C stops these processes; the engines keep running (scripts/services.sh down stops them).
EOF

# Supervise: a crashed process is restarted (named), MAX_RESTARTS times at most, then the run stops.
while true; do
  wait -n "${pid[@]}" 2>/dev/null || true
  for name in "${!pid[@]}"; do
    kill -0 "${pid[$name]}" 2>/dev/null && continue
    code=0; wait "${pid[$name]}" 2>/dev/null || code=$?
    restarts[$name]=$(( ${restarts[$name]:-0} + 1 ))
    if [ "${restarts[$name]}" -gt "$MAX_RESTARTS" ]; then
      stopping="$name crashed $MAX_RESTARTS times (exit $code; see $RUN_DIR/logs/$name.log)"
      say "$stopping; stopping everything"
      exit 1
    fi
    say "$name exited (code $code); restarting it (${restarts[$name]}/$MAX_RESTARTS; log: $RUN_DIR/logs/$name.log)"
    start "$name"
  done
done
