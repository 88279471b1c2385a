#!/usr/bin/env bash
# `npm run totals:verify [-- campaignId ...]`: local services (unless URLs are given), build,
# then recompute totals from the rows and compare (src/cli/verify-totals.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh
source scripts/with-services.sh >&2
exec node dist/cli/verify-totals.js "$@"
