#!/usr/bin/env bash
# `npm start`: local services (unless URLs are given), build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/services.sh up)"
npx nest build
exec node dist/main.js
