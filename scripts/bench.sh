#!/usr/bin/env bash
# `npm run bench:<name>`: local services (unless URLs are given), build, run bench/<name>.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh
name="$1"; shift
source scripts/with-services.sh >&2
cap_app_heap
exec node "bench/$name.mjs" "$@"
