#!/usr/bin/env bash
# The distributed shape on this machine, without Docker: every service as `reservo serve X` +
# `reservo worker X` (own PostgreSQL database each, Kafka, Redis from scripts/services.sh) behind an
# unprivileged nginx whose config is generated from routes.toml.
#   scripts/run-distributed.sh [SERVICE...]        (default: all ten; Ctrl-C stops everything)
# Env: GATEWAY_PORT (default: a free port), RESERVO_KAFKA_TOPIC_PREFIX (default: local.), RUN_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.venv/bin
[ -x "$BIN/reservo" ] || make -C "$ROOT" install >/dev/null
"$ROOT/scripts/services.sh" up >&2
"$ROOT/scripts/services.sh" install nginx >&2
eval "$("$ROOT/scripts/services.sh" env)"

services=("$@")
[ ${#services[@]} -gt 0 ] || mapfile -t services < <("$BIN/python" -c 'from reservo.services import NAMES; print("\n".join(NAMES))')
RUN_DIR=${RUN_DIR:-$(mktemp -d /tmp/reservo-distributed-XXXX)}
chmod 755 "$RUN_DIR"; mkdir -p "$RUN_DIR/logs" "$RUN_DIR/nginx"; chmod 777 "$RUN_DIR/nginx"
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_base=${RESERVO_TEST_POSTGRES_URL%/*}
export RESERVO_BUS=kafka RESERVO_KAFKA_BOOTSTRAP=$RESERVO_TEST_KAFKA_BOOTSTRAP RESERVO_REDIS_URL=$RESERVO_TEST_REDIS_URL
export RESERVO_KAFKA_TOPIC_PREFIX=${RESERVO_KAFKA_TOPIC_PREFIX:-local.} RESERVO_REDIS_PREFIX=local:
export RESERVO_DATABASE_URL=${pg_base/postgresql:/postgresql+asyncpg:}/reservo_local_{service}
export RESERVO_DATA_DIR=$RUN_DIR/data RESERVO_RELAY_POLL_SECONDS=0.3 RESERVO_TRUST_FORWARDED=true RESERVO_LOG_JSON=false

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
"$BIN/reservo" migrate "${services[@]}"

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
upstreams=()
for s in "${services[@]}"; do
  port=$(free_port)
  "$BIN/reservo" serve "$s" --port "$port" >"$RUN_DIR/logs/serve-$s.log" 2>&1 & pids+=($!)
  "$BIN/reservo" worker "$s" --health-port "$(free_port)" >"$RUN_DIR/logs/worker-$s.log" 2>&1 & pids+=($!)
  upstreams+=("--service-upstream=$s=127.0.0.1:$port")
done
GATEWAY_PORT=${GATEWAY_PORT:-$(free_port)}
"$BIN/reservo" gateway-config --format nginx --listen "127.0.0.1:$GATEWAY_PORT" --run-dir "$RUN_DIR/nginx" \
  --upstream 127.0.0.1:9 "${upstreams[@]}" >"$RUN_DIR/nginx/nginx.conf"
nginx_cmd=(nginx -e "$RUN_DIR/nginx/error.log" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf")
if [ "$(id -u)" = 0 ]; then nginx_cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${nginx_cmd[@]}"); fi
PATH=$PATH:/usr/sbin "${nginx_cmd[@]}" & pids+=($!)
echo "reservo: ${#services[@]} service(s) behind http://127.0.0.1:$GATEWAY_PORT (logs: $RUN_DIR/logs, emails: $RUN_DIR/data/outbox)" >&2
wait -n "${pids[@]}" || true
echo "reservo: a process exited; stopping everything (see $RUN_DIR/logs)" >&2
