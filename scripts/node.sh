#!/usr/bin/env bash
# `node` on the project's runtime (scripts/runtime.sh), for the npm scripts that run a tool
# directly (samples:generate, llm:stub).
set -euo pipefail
source "$(dirname "$0")/runtime.sh"
exec node "$@"
