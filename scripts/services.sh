#!/usr/bin/env bash
# Local backing services for runs and tests: FerretDB v2.5.0 on PostgreSQL 15 + DocumentDB
# (the MongoDB wire protocol over real indexes), and Redis.
#
#   scripts/services.sh up       install/build what is missing, start what is not running
#   scripts/services.sh down     stop what this script started (nothing else)
#   scripts/services.sh status   say what runs where
#   scripts/services.sh running  exit 0 when every service this script manages is running
#   scripts/services.sh env      print the MONGODB_URI / REDIS_URL to use (for `eval`)
#
# A service whose URL is already set (MONGODB_URI, REDIS_URL) is left alone: the script
# neither builds nor starts it. Everything it starts listens on 127.0.0.1 and keeps its data
# under .local/ (ignored by git): its own PostgreSQL cluster on its own port, never Debian's
# default cluster nor any other PostgreSQL on the machine.
#
# Sources no package registry ships (DocumentDB, pgvector) come from, in this order:
# $DOCUMENTDB_TARBALL / $PGVECTOR_TARBALL, ../shared/vendor/, or upstream at the same tags.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
RUN="$LOCAL/run"
FERRET_BIN="$LOCAL/bin/ferretdb"
FERRET_PORT="${LOCAL_MONGO_PORT:-27027}"
PG_PORT="${LOCAL_PG_PORT:-54329}"
REDIS_PORT="${LOCAL_REDIS_PORT:-6389}"
PG_DATA="$LOCAL/data/postgres"
PG_BIN="/usr/lib/postgresql/15/bin"
PG_EXT_DIR="/usr/share/postgresql/15/extension"

DOCUMENTDB_TAG="v0.106.0-ferretdb-2.5.0"
DOCUMENTDB_SHA256="3ba0408eee7c3bc67933da50034092ee77e2aa79b61234c1216b0a1ffac21df1"
PGVECTOR_TAG="v0.8.6"
PGVECTOR_SHA256="5743dac39fdfa740533cf95e71b033bd5513b71dda194b3cf19464ccbf76f3fb"
DATABASE_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron postgresql-15-rum postgresql-15-postgis-3
  libbson-dev libpcre2-dev libintelrdfpmath-dev libkrb5-dev pkg-config build-essential curl)

mkdir -p "$RUN" "$LOCAL/bin" "$LOCAL/build" "$LOCAL/data/ferretdb" "$LOCAL/data/redis" "$LOCAL/log"

log() { echo "[services] $*" >&2; }
die() { log "$*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$1" ] && kill -0 "$(head -n 1 "$1")" 2>/dev/null; }

wait_port() { # name port pidfile
  for _ in $(seq 1 150); do
    port_open "$2" && return 0
    if [ -f "$3" ] && ! running "$3"; then break; fi
    sleep 0.1
  done
  log "$1 did not come up on 127.0.0.1:$2; see $LOCAL/log/$1.log"; tail -n 20 "$LOCAL/log/$1.log" >&2 || true
  return 1
}

# PostgreSQL refuses to run as root: as root its files and processes belong to Debian's
# `postgres` user; otherwise to whoever runs this script.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# ---------------------------------------------------------------- installing and building

install_packages() {
  local wanted=() missing=()
  [ -n "${MONGODB_URI:-}" ] || wanted+=("${DATABASE_PACKAGES[@]}")
  [ -n "${REDIS_URL:-}" ] || wanted+=(redis-server)
  for p in "${wanted[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    die "missing Debian packages: ${missing[*]} (install them with apt-get, or set MONGODB_URI/REDIS_URL to running servers)"
  log "installing Debian packages: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
  # Installing postgresql-15 may start Debian's default cluster on 5432 and redis-server a
  # system Redis on 6379: both are left alone; ours run on their own ports.
}

# tarball NAME TAG SHA256 ENV_PATH UPSTREAM_URL -> prints the path of a verified tarball
tarball() {
  local name=$1 tag=$2 sum=$3 from_env=$4 url=$5 file
  for file in "$from_env" "$ROOT/../shared/vendor/$name-${tag#v}.tar.gz" "$LOCAL/build/$name-${tag#v}.tar.gz"; do
    [ -n "$file" ] && [ -f "$file" ] && break
    file=""
  done
  if [ -z "$file" ]; then
    file="$LOCAL/build/$name-${tag#v}.tar.gz"
    log "downloading $name $tag from $url"
    curl -fsSL -o "$file.part" "$url" && mv "$file.part" "$file" || die "could not download $url; set the tarball's path in the environment"
  fi
  echo "$sum  $file" | sha256sum -c --quiet - >&2 || die "$file does not have the expected sha256"
  echo "$file"
}

# extract TARBALL DIR: a clean copy of the source tree (tarballs have one top-level folder)
extract() { rm -rf "$2" && mkdir -p "$2" && tar xzf "$1" -C "$2" --strip-components=1; }

build_pgvector() {
  [ -f "$PG_EXT_DIR/vector.control" ] && return 0
  local src="$LOCAL/build/pgvector"
  extract "$(tarball pgvector "$PGVECTOR_TAG" "$PGVECTOR_SHA256" "${PGVECTOR_TARBALL:-}" \
    "https://github.com/pgvector/pgvector/archive/refs/tags/$PGVECTOR_TAG.tar.gz")" "$src"
  log "building pgvector $PGVECTOR_TAG"
  (cd "$src" && make -s -j2 >/dev/null && make -s install >/dev/null) >&2
}

build_documentdb() {
  [ -f "$PG_EXT_DIR/documentdb.control" ] && [ -f "$PG_EXT_DIR/documentdb_core.control" ] && return 0
  local src="$LOCAL/build/documentdb"
  extract "$(tarball documentdb "$DOCUMENTDB_TAG" "$DOCUMENTDB_SHA256" "${DOCUMENTDB_TARBALL:-}" \
    "https://github.com/FerretDB/documentdb/archive/refs/tags/$DOCUMENTDB_TAG.tar.gz")" "$src"
  log "building DocumentDB $DOCUMENTDB_TAG (~40 s)"
  # Debian ships the Intel decimal library as static variants without a pkg-config file; the
  # variant matching DocumentDB's build flags is libbidgcc000.a. A private .pc, nothing global.
  mkdir -p "$LOCAL/build/pkgconfig"
  printf 'Name: intelmathlib\nDescription: Intel decimal floating point\nVersion: 2.0\nCflags: -I/usr/include\nLibs: -l:libbidgcc000.a\n' \
    >"$LOCAL/build/pkgconfig/intelmathlib.pc"
  # Debian's libbson 1.23 predates BSON_SUBTYPE_SENSITIVE: define it rather than edit sources.
  local libbson; libbson="$(pkg-config --cflags libbson-static-1.0) -DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-error=switch"
  export PKG_CONFIG_PATH="$LOCAL/build/pkgconfig"
  for dir in pg_documentdb_core pg_documentdb; do (cd "$src/$dir" && make -s -j2 LIBBSON="$libbson") >/dev/null 2>&1; done
  (cd "$src" && make -s install-no-distributed LIBBSON="$libbson") >/dev/null 2>&1 ||
    die "DocumentDB did not build: run 'make LIBBSON=\"$libbson\"' in $src to see why"
}

build_ferretdb() {
  local stamp="$LOCAL/bin/ferretdb.sum"
  local want; want="$(cat "$ROOT/tools/ferretdb/go.mod" "$ROOT/tools/ferretdb/go.sum" "$ROOT/tools/ferretdb/main.go" | sha256sum | cut -d' ' -f1)"
  if [ -x "$FERRET_BIN" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  command -v go >/dev/null || die "Go 1.24+ is needed to build FerretDB (apt-get install golang, or https://go.dev/dl)"
  log "building FerretDB v2.5.0 from the Go module proxy (once per machine, ~45 s)"
  (cd "$ROOT/tools/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$FERRET_BIN" .)
  echo "$want" > "$stamp"
}

# ---------------------------------------------------------------- PostgreSQL + DocumentDB

# As root, PostgreSQL runs as `postgres`, which must be able to pass through every folder
# above .local/ (a checkout under a mktemp -d folder is 0700): grant search (o+x, not read)
# on those that refuse it, top down, and say so.
let_postgres_reach_local() {
  [ "$(id -u)" = 0 ] || return 0
  local path="" part
  IFS=/ read -ra parts <<<"${LOCAL#/}"
  for part in "${parts[@]}"; do
    path="$path/$part"
    runuser -u postgres -- test -x "$path" && continue
    log "letting the postgres user pass through $path (chmod o+x)"
    chmod o+x "$path"
  done
}

init_postgres() {
  let_postgres_reach_local
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  log "creating a PostgreSQL cluster in .local/data/postgres (port $PG_PORT, trust on loopback only)"
  mkdir -p "$PG_DATA" && chmod 700 "$PG_DATA"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DATA" "$LOCAL/log"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # The DocumentDB settings live in scripts/postgresql.local.conf (shared with the fault drill's
  # private cluster, test/support/private-database.ts); what is this cluster's own follows them.
  { printf '\n# --- influencer-backend local settings (scripts/postgresql.local.conf)\n'
    cat "$ROOT/scripts/postgresql.local.conf"
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" "$PG_PORT" "$RUN"
  } >>"$PG_DATA/postgresql.conf"
}

up_postgres() {
  local pid="$PG_DATA/postmaster.pid"
  if running "$pid"; then return 0; fi
  if port_open "$PG_PORT"; then die "port $PG_PORT is taken by another process; set LOCAL_PG_PORT or MONGODB_URI"; fi
  init_postgres
  log "starting PostgreSQL 15 + DocumentDB on 127.0.0.1:$PG_PORT"
  [ "$(id -u)" = 0 ] && { touch "$LOCAL/log/postgres.log"; chown postgres: "$LOCAL/log/postgres.log" "$RUN"; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOCAL/log/postgres.log" -w -t 30 start >/dev/null
  as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE;' >/dev/null 2>>"$LOCAL/log/postgres.log" ||
    die "could not create the documentdb extension; see $LOCAL/log/postgres.log"
}

up_ferretdb() {
  local pid="$RUN/ferretdb.pid"
  if running "$pid"; then log "FerretDB already running (pid $(cat "$pid")) on 127.0.0.1:$FERRET_PORT"; return; fi
  if port_open "$FERRET_PORT"; then die "port $FERRET_PORT is taken by another process; set LOCAL_MONGO_PORT or MONGODB_URI"; fi
  log "starting FerretDB v2.5.0 on 127.0.0.1:$FERRET_PORT (telemetry off)"
  nohup "$FERRET_BIN" -listen-addr "127.0.0.1:$FERRET_PORT" \
    -postgresql-url "postgres://postgres@127.0.0.1:$PG_PORT/postgres" \
    -state-dir "$LOCAL/data/ferretdb" >"$LOCAL/log/ferretdb.log" 2>&1 &
  echo $! > "$pid"
  wait_port ferretdb "$FERRET_PORT" "$pid"
}

up_database() {
  if [ -n "${MONGODB_URI:-}" ]; then log "MONGODB_URI is set: not starting the local database"; return; fi
  build_pgvector
  build_documentdb
  build_ferretdb
  up_postgres
  up_ferretdb
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
    for _ in $(seq 1 100); do running "$2" || break; sleep 0.1; done
  else log "$1 not started by this script"; fi
  rm -f "$2"
}

stop_postgres() {
  if running "$PG_DATA/postmaster.pid"; then
    log "stopping PostgreSQL (pid $(head -n 1 "$PG_DATA/postmaster.pid"))"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null
  else log "PostgreSQL not started by this script"; fi
}

all_running() {
  { [ -n "${MONGODB_URI:-}" ] || { running "$PG_DATA/postmaster.pid" && running "$RUN/ferretdb.pid"; }; } &&
    { [ -n "${REDIS_URL:-}" ] || running "$RUN/redis.pid"; }
}

print_env() {
  echo "export MONGODB_URI='${MONGODB_URI:-mongodb://127.0.0.1:$FERRET_PORT/influencer}'"
  echo "export REDIS_URL='${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}'"
}

case "${1:-status}" in
  up) install_packages; up_database; up_redis; print_env ;;
  down) stop_one ferretdb "$RUN/ferretdb.pid"; stop_postgres; stop_one redis "$RUN/redis.pid" ;;
  running) all_running ;;
  env) print_env ;;
  status)
    say() { if running "$2"; then log "$1: running on 127.0.0.1:$3"; else log "$1: not running (started by this script)"; fi; }
    say PostgreSQL "$PG_DATA/postmaster.pid" "$PG_PORT"
    say FerretDB "$RUN/ferretdb.pid" "$FERRET_PORT"
    say Redis "$RUN/redis.pid" "$REDIS_PORT"
    print_env ;;
  *) echo "usage: $0 up|down|status|running|env" >&2; exit 2 ;;
esac
