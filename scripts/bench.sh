#!/usr/bin/env bash
# `npm run bench:<name>`: local services (unless URLs are given), build, run bench/<name>.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"; shift
# An assignment, not eval "$(…)": set -e then stops here when the services cannot start.
service_env="$(bash scripts/services.sh up)"
eval "$service_env" >&2
npx nest build >&2
# A capped heap keeps the app small: V8 otherwise grows it lazily on a large machine
# (1M-row upload: 422 MB peak RSS uncapped, 208 MB at 192 MB; live data stays far below).
# Set after the build: tsc needs more.
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=256}"
exec node "bench/$name.mjs" "$@"
