#!/usr/bin/env bash
# Builds Jaeger v2 (the module tag v1.75.0 = Jaeger v2.12) from the Go module proxy, once, and prints the binary's
# path. The binary is cached under ${OSAPI_MONITOR_CACHE:-$HOME/.cache/osapi-monitor}; a cold build takes several
# minutes and a few hundred MB of modules. There is no Docker here: this is how tests get a real Jaeger.
set -euo pipefail
cd "$(dirname "$0")"
VERSION="v1.75.0"
CACHE="${OSAPI_MONITOR_CACHE:-$HOME/.cache/osapi-monitor}/jaeger-$VERSION"
BIN="$CACHE/jaeger"
if [[ -x "$BIN" ]] && "$BIN" version >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { echo "go is required to build Jaeger (https://go.dev/dl/)" >&2; exit 1; }
mkdir -p "$CACHE"
echo "building Jaeger $VERSION into $BIN (first time only; takes a few minutes)..." >&2
# go.mod pins the tool version (go get -tool ...@v1.75.0); go.sum pins every module's checksum.
CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}" go build -trimpath -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
