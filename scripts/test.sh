#!/usr/bin/env bash
# `npm test`: local services (unless URLs are given), type check, then every suite
# (unit and e2e against the real FerretDB, Redis and an HTTP LLM stub).
set -euo pipefail
cd "$(dirname "$0")/.."
# An assignment, not eval "$(…)": set -e then stops here when the services cannot start.
service_env="$(bash scripts/services.sh up)"
eval "$service_env"
bash scripts/ensure-chromium.sh
npx tsc --noEmit -p tsconfig.json
npx nest build
exec npx jest --runInBand "$@"
