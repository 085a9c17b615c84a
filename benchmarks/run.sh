#!/usr/bin/env bash
# Runs every benchmark and writes BENCHMARKS.md at the repository root.
#
#   benchmarks/run.sh            # the full run: about 25 minutes on 2 cores (10 minutes of it the memory run)
#   benchmarks/run.sh --quick    # every benchmark, one short round: under 5 minutes; indicative figures only
#   benchmarks/run.sh --only percall --bench fileOpenRead   # one section / one call (see BENCHMARKS.md)
#
# Sections: percall, decision, startup, export, sustained, memory. --out <file> writes elsewhere.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ "${OSAPI_BENCH_SKIP_BUILD:-}" != "1" ]]; then
  echo "== building (mvn install, tests skipped)"
  mvn -B -q -ntp -DskipTests install
fi
ARGS=("$@")
if [[ " ${ARGS[*]-} " != *" --out "* ]]; then
  ARGS+=(--out "$ROOT/BENCHMARKS.md")
fi
exec "$JAVA" -jar benchmarks/target/benchmarks.jar \
  --agent extension/target/opentelemetry-javaagent.jar \
  --extended-agent extension/target/osapi-monitor-javaagent.jar \
  --policies examples/policies \
  "${ARGS[@]}"
