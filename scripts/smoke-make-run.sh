#!/usr/bin/env bash
# `make run` on a clean clone, twice: /readyz answers 200 and the demo data is not duplicated.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
port=${SMOKE_PORT:-18765}
trap 'kill -- -$pid 2>/dev/null || true; rm -rf "$work"' EXIT

git clone -q "$root" "$work/clone"
cd "$work/clone"

start() {
  setsid make run PORT="$port" >"$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$work/run.log"; echo "smoke: make run exited"; exit 1; fi
    sleep 0.5
  done
  cat "$work/run.log"; echo "smoke: /readyz did not answer in 120 s"; exit 1
}
stop() { kill -TERM -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

count_offerings() {
  curl -fsS "http://127.0.0.1:$port/api/v1/tenants/demo/offerings?limit=200" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))'
}

echo "smoke: first make run (fresh clone: venv, install, migrate, seed, serve)"
start
first=$(count_offerings)
stop
echo "smoke: second make run (must not fail or duplicate the demo data)"
start
second=$(count_offerings)
curl -fsS "http://127.0.0.1:$port/readyz"; echo
stop
if [ "$first" -lt 1 ] || [ "$first" != "$second" ]; then
  echo "smoke: demo offerings $first then $second"; exit 1
fi
echo "smoke: ok ($first demo offerings, /readyz 200, twice)"
