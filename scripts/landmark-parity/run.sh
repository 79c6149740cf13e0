#!/usr/bin/env bash
# Regenerates src/test/resources/landmarks/expected.json with the face-api package's own JavaScript model.
# Needs node and npm (network access for npm only; nothing here runs at application runtime).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund @vladmandic/face-api@1.7.15 @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 pngjs@7.0.0
cp "$repo/scripts/landmark-parity/make-expected.mjs" .
node make-expected.mjs "$repo"
