#!/usr/bin/env bash
# `npm start`: local services (unless URLs are given), build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh up)"
npx nest build
export INGEST_SAMPLE_ON_EMPTY="${INGEST_SAMPLE_ON_EMPTY:-true}"
exec node dist/main.js
