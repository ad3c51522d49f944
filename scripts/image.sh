#!/usr/bin/env bash
# Build and run the Reservo image without a Docker engine: buildah (chroot isolation, vfs storage).
#   scripts/image.sh base     debootstrap a minbase bookworm root file system (+ python3.11) and commit
#                             it as the local base image reservo-base:bookworm (cached; once per machine)
#   scripts/image.sh build    buildah bud deploy/Dockerfile on that base -> localhost/reservo:dev
#   scripts/image.sh run ARGS `reservo ARGS` from the image on the host network (foreground)
#   scripts/image.sh exec CMD any command in a container of the image (as its user)
#   scripts/image.sh size     the image size
# Env: RESERVO_IMAGE (default localhost/reservo:dev), RESERVO_IMAGE_CACHE (default ~/.cache/reservo/image).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${RESERVO_IMAGE_CACHE:-$HOME/.cache/reservo/image}
IMAGE=${RESERVO_IMAGE:-localhost/reservo:dev}
BASE=localhost/reservo-base:bookworm
# vfs + chroot: no overlay mounts, no user namespaces, works in an unprivileged container as root.
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
STORE=(--root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs)
say() { printf 'image: %s\n' "$*" >&2; }

base() {
  if buildah "${STORE[@]}" inspect --type image "$BASE" >/dev/null 2>&1; then say "base $BASE cached"; return; fi
  local rootfs=$CACHE/rootfs
  if [ ! -f "$rootfs/.reservo-base-done" ]; then
    rm -rf "$rootfs"; mkdir -p "$CACHE"
    say "debootstrap minbase bookworm (+python3.11) into $rootfs"
    debootstrap --variant=minbase --include=python3.11,python3-pip,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0 bookworm "$rootfs" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; return 1; }
    # The python:3.11-slim layout the Dockerfile expects: `python` and `pip` on PATH, and pip allowed to
    # install (Debian marks its Python externally managed; this image is for one application).
    ln -sf python3.11 "$rootfs/usr/bin/python"
    [ -e "$rootfs/usr/bin/pip" ] || ln -sf pip3 "$rootfs/usr/bin/pip"
    rm -f "$rootfs"/usr/lib/python3.11/EXTERNALLY-MANAGED
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    touch "$rootfs/.reservo-base-done"
  fi
  # Trust what this host trusts (a TLS-inspecting proxy's CA included): the build installs from PyPI.
  # This base is built and used on this machine only; the published image uses the public base.
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  say "committing $BASE"
  local ctr; ctr=$(buildah "${STORE[@]}" from scratch)
  local mnt; mnt=$(buildah "${STORE[@]}" mount "$ctr")
  cp -a "$rootfs/." "$mnt/"
  buildah "${STORE[@]}" umount "$ctr" >/dev/null
  buildah "${STORE[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --cmd /bin/bash "$ctr"
  buildah "${STORE[@]}" commit --rm -q "$ctr" "$BASE" >/dev/null
}

# What the image is made of: the same inputs give the same image, which is then not built again.
inputs_hash() {
  (cd "$ROOT" && { git ls-files -s -- src pyproject.toml requirements.lock README.md deploy/Dockerfile;
    git diff -- src pyproject.toml requirements.lock README.md deploy/Dockerfile;
    find frontend/dist -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
}

build() {
  if [ ! -f "$ROOT/frontend/dist/index.html" ]; then
    say "the web app is not built (frontend/dist): run \`make web\` first"; exit 1
  fi
  base
  local cached; cached=localhost/reservo:inputs-$(inputs_hash)
  if buildah "${STORE[@]}" inspect --type image "$cached" >/dev/null 2>&1; then
    buildah "${STORE[@]}" tag "$cached" "$IMAGE"
    say "$IMAGE is up to date ($cached, $(size))"; return
  fi
  say "buildah bud deploy/Dockerfile (BASE_IMAGE=$BASE) -> $IMAGE"
  # No layer cache: with the vfs driver every cached layer is a full copy, slower than rebuilding.
  buildah "${STORE[@]}" bud --isolation chroot --layers=false -q \
    --build-arg "BASE_IMAGE=$BASE" -f "$ROOT/deploy/Dockerfile" -t "$IMAGE" "$ROOT" >/dev/null
  buildah "${STORE[@]}" tag "$IMAGE" "$cached"
  # Older builds go: each is a full copy of the root file system under vfs.
  buildah "${STORE[@]}" images --noheading --format '{{.Name}}:{{.Tag}}' | grep -F 'localhost/reservo:inputs-' \
    | grep -vF "$cached" | xargs -r buildah "${STORE[@]}" rmi -f >/dev/null 2>&1 || true
  buildah "${STORE[@]}" rmi --prune >/dev/null 2>&1 || true
  say "built $IMAGE ($(size))"
}

size() { buildah "${STORE[@]}" images --noheading --format '{{.Size}}' "$IMAGE" | head -1; }
user() { buildah "${STORE[@]}" inspect --type image --format '{{.OCIv1.Config.User}}' "$IMAGE"; }

exec_in() {
  CTR=$(buildah "${STORE[@]}" from -q "$IMAGE")
  trap 'buildah "${STORE[@]}" rm "$CTR" >/dev/null 2>&1 || true' EXIT
  local envs=()
  while IFS='=' read -r k v; do envs+=(--env "$k=$v"); done < <(env | grep -E '^RESERVO_' || true)
  in_container "${envs[@]}" "$CTR" -- "$@"
}

# buildah run in the background so that SIGTERM/SIGINT reach the process in the container (a
# foreground child would outlive this script), then the container is removed by the EXIT trap.
in_container() {
  setsid buildah "${STORE[@]}" run --isolation chroot --network host "$@" &
  local child=$!  # its own process group: the signal goes to every process of the container
  trap 'kill -TERM -- "-$child" 2>/dev/null' TERM INT
  local status=0
  wait "$child" || status=$?
  if kill -0 "$child" 2>/dev/null; then wait "$child" || status=$?; fi
  return "$status"
}

run() {
  CTR=$(buildah "${STORE[@]}" from -q "$IMAGE")
  trap 'buildah "${STORE[@]}" rm "$CTR" >/dev/null 2>&1 || true' EXIT
  local envs=()
  while IFS='=' read -r k v; do envs+=(--env "$k=$v"); done < <(env | grep -E '^RESERVO_' || true)
  in_container "${envs[@]}" "$CTR" -- reservo "$@"
}

cmd=${1:-build}; shift || true
case $cmd in
  base|build|size|user) "$cmd" ;;
  run) run "$@" ;;
  exec) exec_in "$@" ;;
  *) echo "usage: $0 base|build|run ARGS|size" >&2; exit 2 ;;
esac
