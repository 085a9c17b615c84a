#!/usr/bin/env bash
# The main job, in one command from a fresh clone:
#   1. build the extension and the example (Maven, tests skipped),
#   2. start the plant HMI under the agent with osapi-monitor and examples/policies/default.yaml,
#   3. run the scenario: a benign shift, then an intrusion through /diagnostics,
#   4. stop the HMI and print the capture summary.
#
# Without OTEL_EXPORTER_OTLP_ENDPOINT the spans go to the local OTLP-JSON file (no backend needed). With it
# (e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 OTEL_EXPORTER_OTLP_PROTOCOL=grpc) they go there, through the
# spool, and you look at them in Jaeger or Tempo instead.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${OSAPI_DEMO_DIR:-$ROOT/target/demo}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$ROOT"

echo "== building (mvn package, tests skipped)"
mvn -B -q -ntp -DskipTests install

rm -rf "$WORK"
mkdir -p "$WORK"
chmod 700 "$WORK"
CAPTURE="$WORK/captures.jsonl"
EXPORT_OPTS=(-Dotel.instrumentation.osapi.exporter.file.path="$CAPTURE"
             -Dotel.instrumentation.osapi.exporter.spool.dir="$WORK/spool")
if [[ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-}" ]]; then
  echo "== spans go to ${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-$OTEL_EXPORTER_OTLP_ENDPOINT}"
else
  echo "== no OTLP endpoint configured: spans go to $CAPTURE"
fi

echo "== starting the plant HMI under the agent (policy: examples/policies/default.yaml)"
"$JAVA" -javaagent:extension/target/osapi-monitor-javaagent.jar \
  -Dotel.service.name=plant-hmi \
  -Dotel.metrics.exporter=none -Dotel.logs.exporter=none \
  -Dotel.instrumentation.osapi.policy=examples/policies/default.yaml \
  "${EXPORT_OPTS[@]}" \
  -jar examples/plant-hmi/target/plant-hmi.jar --port 0 --plc-port 0 --data "$WORK/plant-data" \
  > "$WORK/hmi.log" 2>&1 &
HMI=$!
trap 'kill $HMI 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 300); do
  URL="$(sed -n 's/^plant-hmi listening on \(http:[^ ]*\).*/\1/p' "$WORK/hmi.log" | head -1)"
  [[ -n "$URL" ]] && break
  kill -0 $HMI 2>/dev/null || { cat "$WORK/hmi.log"; echo "the HMI did not start" >&2; exit 1; }
  sleep 0.2
done
[[ -n "$URL" ]] || { cat "$WORK/hmi.log"; echo "the HMI did not start in time" >&2; exit 1; }
echo "   $URL (log: $WORK/hmi.log)"

echo "== running the scenario"
"$JAVA" -jar examples/scenario/target/scenario.jar --url "$URL"

echo "== stopping the HMI (the agent flushes on exit)"
kill -TERM $HMI
wait $HMI || true
trap - EXIT

if [[ -f "$CAPTURE" ]]; then
  echo
  "$JAVA" -jar extension/target/osapi-monitor-extension.jar summary "$CAPTURE"
else
  echo "spans went to the OTLP endpoint; in Jaeger search service plant-hmi, tag osapi.capture.kind=trigger"
fi
