#!/usr/bin/env bash
# The Swagger UI test drives Debian's chromium (headless). Installed here when missing.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$bin" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[chromium] installing Debian's chromium for the Swagger UI test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  exit 0
fi
echo "[chromium] $bin not found: install Debian's chromium package (or set CHROMIUM_PATH)" >&2
exit 1
