#!/usr/bin/env bash
# `npm test`: local services (unless URLs are given), type check, then every suite
# (unit and e2e against the real FerretDB, Redis and an HTTP LLM stub).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh up)"
bash scripts/ensure-chromium.sh
npx tsc --noEmit -p tsconfig.json
npx nest build
exec npx jest --runInBand "$@"
