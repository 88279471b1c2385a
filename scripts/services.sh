#!/usr/bin/env bash
# Local backing services for runs and tests: secantus-mdb (a MongoDB-compatible server on
# WiredTiger, from crates.io) and Redis (Debian's redis-server).
#
#   scripts/services.sh up       install/build what is missing, start what is not running
#   scripts/services.sh down     stop what this script started (nothing else)
#   scripts/services.sh status   say what runs where
#   scripts/services.sh running  exit 0 when every service this script manages is running
#   scripts/services.sh env      print the MONGODB_URI / REDIS_URL to use (for `eval`)
#
# A service whose URL is already set (MONGODB_URI, REDIS_URL) is left alone: the script
# neither builds nor starts it. Everything it starts listens on 127.0.0.1 and keeps its data
# under .local/ (ignored by git). Production runs MongoDB 8.0 (docker-compose.yml); why the
# local server is secantus-mdb is in docs/database.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
MONGO_PORT="${LOCAL_MONGO_PORT:-27027}"
REDIS_PORT="${LOCAL_REDIS_PORT:-6389}"

# Pinned: the server's behaviour is part of what the tests check (docs/database.md).
SECANTUS_VERSION="0.5.3-beta.196"
SECANTUS_BIN="$LOCAL/secantus/bin/secantusd-rs"
SECANTUS_CONFIG="$ROOT/scripts/secantusd.toml"
BUILD_PACKAGES=(cmake build-essential)

mkdir -p "$RUN" "$LOCAL/data/mongo" "$LOCAL/data/redis" "$LOCAL/log"

log() { echo "[services] $*" >&2; }
die() { log "$*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$1" ] && kill -0 "$(head -n 1 "$1")" 2>/dev/null; }

wait_port() { # name port pidfile
  for _ in $(seq 1 300); do
    port_open "$2" && return 0
    if [ -f "$3" ] && ! running "$3"; then break; fi
    sleep 0.1
  done
  log "$1 did not come up on 127.0.0.1:$2; see $LOCAL/log/$1.log"; tail -n 20 "$LOCAL/log/$1.log" >&2 || true
  return 1
}

# ---------------------------------------------------------------- installing and building

apt_install() { # packages...
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    die "missing Debian packages: ${missing[*]} (install them with apt-get, or set MONGODB_URI/REDIS_URL to running servers)"
  log "installing Debian packages: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
  # Installing redis-server may start a system Redis on 6379: it is left alone; ours runs on its own port.
}

install_packages() {
  [ -n "${REDIS_URL:-}" ] || apt_install redis-server
  if [ -z "${MONGODB_URI:-}" ] && ! secantus_installed; then
    # WiredTiger is compiled from the crate's bundled source: it needs CMake and a C compiler.
    command -v cmake >/dev/null && command -v cc >/dev/null || apt_install "${BUILD_PACKAGES[@]}"
  fi
}

secantus_installed() {
  [ -x "$SECANTUS_BIN" ] && "$SECANTUS_BIN" --version 2>/dev/null | grep -qF "$SECANTUS_VERSION"
}

build_secantus() {
  secantus_installed && return 0
  command -v cargo >/dev/null ||
    die "a Rust toolchain is needed to build the local database (secantus-mdb from crates.io): install rustup (https://rustup.rs) or Debian's cargo, or set MONGODB_URI to a running MongoDB"
  log "building secantus-mdb $SECANTUS_VERSION from crates.io into .local/secantus (once per checkout, ~5 min)"
  # Its crates declare Rust 1.98; it builds and passes this project's suite with older
  # toolchains (1.95 here), hence --ignore-rust-version. --locked: the crate's own lock file.
  cargo install secantus-mdb --version "$SECANTUS_VERSION" --locked --ignore-rust-version \
    --root "$LOCAL/secantus" --quiet >&2 || die "cargo could not build secantus-mdb $SECANTUS_VERSION"
}

# ---------------------------------------------------------------- the database

up_database() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MONGODB_URI is set: not starting the local database"; return; fi
  build_secantus
  local pid="$RUN/mongo.pid"
  if running "$pid"; then log "secantus-mdb already running (pid $(cat "$pid")) on 127.0.0.1:$MONGO_PORT"; return; fi
  if port_open "$MONGO_PORT"; then die "port $MONGO_PORT is taken by another process; set LOCAL_MONGO_PORT or MONGODB_URI"; fi
  log "starting secantus-mdb $SECANTUS_VERSION on 127.0.0.1:$MONGO_PORT (data in .local/data/mongo; settings in scripts/secantusd.toml)"
  local cache=(); [ -z "${LOCAL_MONGO_CACHE:-}" ] || cache=(--cache-size "$LOCAL_MONGO_CACHE")
  nohup "$SECANTUS_BIN" --config "$SECANTUS_CONFIG" --port "$MONGO_PORT" --storage-path "$LOCAL/data/mongo" "${cache[@]}" \
    >"$LOCAL/log/mongo.log" 2>&1 &
  echo $! > "$pid"
  wait_port mongo "$MONGO_PORT" "$pid"
  # On the project's Node, with its driver (a subshell: the caller's PATH stays as it was).
  (source "$ROOT/scripts/runtime.sh" && node "$ROOT/scripts/database-settings.mjs" "mongodb://127.0.0.1:$MONGO_PORT/?directConnection=true") ||
    die "could not apply the server parameters of scripts/database-settings.mjs"
}

# ---------------------------------------------------------------- Redis

up_redis() {
  if [ -n "${REDIS_URL:-}" ]; then log "REDIS_URL is set: not starting Redis"; return; fi
  local pid="$RUN/redis.pid"
  if running "$pid"; then log "Redis already running (pid $(cat "$pid")) on 127.0.0.1:$REDIS_PORT"; return; fi
  if port_open "$REDIS_PORT"; then die "port $REDIS_PORT is taken by another process; set LOCAL_REDIS_PORT or REDIS_URL"; fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT (data in .local/data/redis)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$LOCAL/data/redis" --appendonly yes --save "" \
    --daemonize yes --pidfile "$pid" --logfile "$LOCAL/log/redis.log"
  for _ in $(seq 1 50); do [ -s "$pid" ] && break; sleep 0.1; done
  wait_port redis "$REDIS_PORT" "$pid"
}

# ---------------------------------------------------------------- commands

stop_one() { # name pidfile
  if running "$2"; then
    log "stopping $1 (pid $(head -n 1 "$2"))"; kill "$(head -n 1 "$2")" 2>/dev/null || true
    # secantus-mdb checkpoints WiredTiger on SIGTERM: give it time to finish.
    for _ in $(seq 1 300); do running "$2" || break; sleep 0.1; done
  else log "$1 not started by this script"; fi
  rm -f "$2"
}

all_running() {
  { [ -n "${MONGODB_URI:-}" ] || running "$RUN/mongo.pid"; } &&
    { [ -n "${REDIS_URL:-}" ] || running "$RUN/redis.pid"; }
}

print_env() {
  # directConnection: the server advertises a one-node replica set; talk to it directly.
  echo "export MONGODB_URI='${MONGODB_URI:-mongodb://127.0.0.1:$MONGO_PORT/influencer?directConnection=true}'"
  echo "export REDIS_URL='${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}'"
}

case "${1:-status}" in
  up) install_packages; up_database; up_redis; print_env ;;
  down) stop_one secantus-mdb "$RUN/mongo.pid"; stop_one redis "$RUN/redis.pid" ;;
  running) all_running ;;
  env) print_env ;;
  status)
    say() { if running "$2"; then log "$1: running on 127.0.0.1:$3"; else log "$1: not running (started by this script)"; fi; }
    say secantus-mdb "$RUN/mongo.pid" "$MONGO_PORT"
    say Redis "$RUN/redis.pid" "$REDIS_PORT"
    print_env ;;
  *) echo "usage: $0 up|down|status|running|env" >&2; exit 2 ;;
esac
