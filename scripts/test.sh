#!/usr/bin/env bash
# `npm test`: local services (unless URLs are given), type check, then every suite
# (unit and e2e against the real database (secantus-mdb locally), Redis, an HTTP LLM stub and a
# real model on llama.cpp). Services this run
# started are stopped when it ends; services that were already running are left running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh
if ! bash scripts/services.sh running; then
  # Set before `up`, so a start that fails half-way stops what it did start; `down` stops
  # only what services.sh started (never a service given by URL). The exit status stays
  # the run's own (jest's, or whichever step failed).
  trap 'status=$?; bash scripts/services.sh down || true; exit $status' EXIT
fi
bash scripts/ensure-chromium.sh
# The real-model suite's llama.cpp server and model (test/brief/real-model.e2e-spec.ts starts
# and stops the server itself); installed once per checkout, here so a missing Python fails early.
bash scripts/llm-server.sh install
npx tsc --noEmit -p tsconfig.json
npm run lint
source scripts/with-services.sh
npx jest --runInBand "$@"
