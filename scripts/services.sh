#!/usr/bin/env bash
# Local backing services for runs and tests: FerretDB v1.24.2 (SQLite) and Redis.
#
#   scripts/services.sh up       build/install what is missing, start what is not running
#   scripts/services.sh down     stop what this script started (nothing else)
#   scripts/services.sh status   say what runs where
#   scripts/services.sh env      print the MONGODB_URI / REDIS_URL to use (for `eval`)
#
# A service whose URL is already set (MONGODB_URI, REDIS_URL) is left alone: the
# script neither builds nor starts it. Everything lives under .local/ (ignored by git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
FERRET_BIN="$LOCAL/bin/ferretdb"
FERRET_PORT="${LOCAL_MONGO_PORT:-27027}"
REDIS_PORT="${LOCAL_REDIS_PORT:-6389}"
mkdir -p "$RUN" "$LOCAL/data/ferretdb" "$LOCAL/data/redis" "$LOCAL/log"

log() { echo "[services] $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # name port pidfile
  for _ in $(seq 1 100); do
    port_open "$2" && return 0
    if [ -f "$3" ] && ! kill -0 "$(cat "$3")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  log "$1 did not come up on 127.0.0.1:$2; see $LOCAL/log/$1.log"; tail -n 20 "$LOCAL/log/$1.log" >&2 || true
  return 1
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

build_ferretdb() {
  local stamp="$LOCAL/bin/ferretdb.sum"
  local want; want="$(cat "$ROOT/tools/ferretdb/go.mod" "$ROOT/tools/ferretdb/go.sum" "$ROOT/tools/ferretdb/main.go" | sha256sum | cut -d' ' -f1)"
  if [ -x "$FERRET_BIN" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  command -v go >/dev/null || { log "Go 1.22+ is needed to build FerretDB (apt-get install golang, or https://go.dev/dl)"; exit 1; }
  log "building FerretDB v1.24.2 from the Go module proxy (once per machine, ~1 min)"
  # GOTOOLCHAIN stays Go's default: an older local Go fetches the toolchain go.mod asks for.
  (cd "$ROOT/tools/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$FERRET_BIN" .)
  echo "$want" > "$stamp"
}

up_ferretdb() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MONGODB_URI is set: not starting FerretDB"; return; fi
  local pid="$RUN/ferretdb.pid"
  if running "$pid"; then log "FerretDB already running (pid $(cat "$pid")) on 127.0.0.1:$FERRET_PORT"; return; fi
  if port_open "$FERRET_PORT"; then log "port $FERRET_PORT is taken by another process; set LOCAL_MONGO_PORT or MONGODB_URI"; exit 1; fi
  build_ferretdb
  log "starting FerretDB on 127.0.0.1:$FERRET_PORT (data in .local/data/ferretdb, no telemetry, no debug listener)"
  # synchronous(normal) with WAL: survives an app crash, may lose the last commits on
  # an OS crash, which is right for a local/test database and makes writes ~2x faster.
  nohup "$FERRET_BIN" -listen-addr "127.0.0.1:$FERRET_PORT" \
    -sqlite-url "file:$LOCAL/data/ferretdb/?_pragma=synchronous(normal)" \
    >"$LOCAL/log/ferretdb.log" 2>&1 &
  echo $! > "$pid"
  wait_port ferretdb "$FERRET_PORT" "$pid"
}

install_redis() {
  command -v redis-server >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's redis-server (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server) >&2
    # Debian's package may start a system service on 6379; ours runs on its own port.
  else
    log "redis-server is missing. Install it (sudo apt-get install redis-server) or set REDIS_URL to a running Redis."
    exit 1
  fi
}

up_redis() {
  if [ -n "${REDIS_URL:-}" ]; then log "REDIS_URL is set: not starting Redis"; return; fi
  local pid="$RUN/redis.pid"
  if running "$pid"; then log "Redis already running (pid $(cat "$pid")) on 127.0.0.1:$REDIS_PORT"; return; fi
  if port_open "$REDIS_PORT"; then log "port $REDIS_PORT is taken by another process; set LOCAL_REDIS_PORT or REDIS_URL"; exit 1; fi
  install_redis
  log "starting Redis on 127.0.0.1:$REDIS_PORT (data in .local/data/redis)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$LOCAL/data/redis" --appendonly yes --save "" \
    --daemonize yes --pidfile "$pid" --logfile "$LOCAL/log/redis.log"
  for _ in $(seq 1 50); do [ -s "$pid" ] && break; sleep 0.1; done
  wait_port redis "$REDIS_PORT" "$pid"
}

stop_one() { # name pidfile
  if running "$2"; then
    log "stopping $1 (pid $(cat "$2"))"; kill "$(cat "$2")" 2>/dev/null || true
    for _ in $(seq 1 50); do running "$2" || break; sleep 0.1; done
  else log "$1 not started by this script"; fi
  rm -f "$2"
}

print_env() {
  echo "export MONGODB_URI='${MONGODB_URI:-mongodb://127.0.0.1:$FERRET_PORT/influencer}'"
  echo "export REDIS_URL='${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}'"
}

case "${1:-status}" in
  up) up_ferretdb; up_redis; print_env ;;
  down) stop_one ferretdb "$RUN/ferretdb.pid"; stop_one redis "$RUN/redis.pid" ;;
  env) print_env ;;
  status)
    running "$RUN/ferretdb.pid" && log "FerretDB: running on 127.0.0.1:$FERRET_PORT" || log "FerretDB: not running (started by this script)"
    running "$RUN/redis.pid" && log "Redis: running on 127.0.0.1:$REDIS_PORT" || log "Redis: not running (started by this script)"
    print_env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
