#!/usr/bin/env bash
# `npm start`: local services (unless URLs are given), build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh
source scripts/with-services.sh
export INGEST_SAMPLE_ON_EMPTY="${INGEST_SAMPLE_ON_EMPTY:-true}"
cap_app_heap
exec node dist/main.js
