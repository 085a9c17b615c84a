#!/usr/bin/env bash
# Builds Jaeger (once) and runs it in the foreground with jaeger.yaml (or $JAEGER_CONFIG), bound to loopback.
set -euo pipefail
cd "$(dirname "$0")"
BIN="$(./build.sh)"
exec "$BIN" --config "${JAEGER_CONFIG:-jaeger.yaml}"
