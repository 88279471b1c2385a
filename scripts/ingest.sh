#!/usr/bin/env bash
# `npm run ingest -- FILE.csv`: local services (unless URLs are given), build, ingest the
# file through the same IngestService as POST /ingest, with a progress bar.
set -euo pipefail
# npm runs scripts from the package root; a relative FILE is relative to where npm was run.
if [ $# -gt 0 ] && [[ "$1" != /* ]] && [[ "$1" != --* ]]; then set -- "${INIT_CWD:-$PWD}/$1" "${@:2}"; fi
cd "$(dirname "$0")/.."
source scripts/runtime.sh
source scripts/with-services.sh >&2
exec node dist/cli/ingest-cli.js "$@"
