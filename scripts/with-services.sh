# Sourced by the npm entry scripts (start, test, ingest, bench): starts the local services
# unless their URLs are given, exports MONGODB_URI/REDIS_URL, and builds the app.
# An assignment, not eval "$(…)": set -e then stops here when the services cannot start.
service_env="$(bash scripts/services.sh up)"
eval "$service_env"
npx nest build >&2

# A capped heap keeps the app small: V8 otherwise grows it lazily on a large machine while
# live data stays far below the cap (bench/README.md, "Memory"). The young generation too:
# Node 24's V8 grows each semi-space to 64 MB on this machine (Node 20's stopped at 16), which
# added ~120 MB of RSS and no speed (bench/README.md, "Node 24 against Node 20").
# Exported after the build (tsc needs more) by the scripts that run the app.
cap_app_heap() { export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=256 --max-semi-space-size=16}"; }
