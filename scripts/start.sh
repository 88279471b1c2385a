#!/usr/bin/env bash
# `npm start`: local services (unless URLs are given), build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
# An assignment, not eval "$(…)": set -e then stops here when the services cannot start.
service_env="$(bash scripts/services.sh up)"
eval "$service_env"
npx nest build
export INGEST_SAMPLE_ON_EMPTY="${INGEST_SAMPLE_ON_EMPTY:-true}"
# A capped heap keeps the app small: V8 otherwise grows it lazily on a large machine
# (1M-row upload: 422 MB peak RSS uncapped, 208 MB at 192 MB; live data stays far below).
# Set after the build: tsc needs more.
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=256}"
exec node dist/main.js
