#!/usr/bin/env bash
# Builds the held-out evaluation faces used to judge the default model (docs/model-training.md): 18 square portrait
# crops of people who are not in the training set, cut from the demo photos of the npm package
# @vladmandic/face-api 1.7.15. Their provenance is unknown: use them locally for evaluation only; never ship,
# commit or train on them.
#
# Usage: scripts/heldout-faces/build.sh [DIR]     # default DIR: work-tmp/heldout (git-ignored)
# Fetches the package by name with `npm pack`, finds every face with the application's own detector
# (FindFaces.java: Haar cascades + 68-point landmarks, whole photo and overlapping tiles) and writes crops of
# 2.2 x the face's width at the photos' native resolution (faces under 120 px wide are skipped) to DIR/faces/.
# Deterministic: the same package and application give byte-identical crops. Needs npm, Debian's
# python3 with python3-pil (/usr/bin/python3) and a built application (./mvnw -q -B -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/heldout-faces"
OUT=$(mkdir -p "${1:-$ROOT/work-tmp/heldout}" && cd "${1:-$ROOT/work-tmp/heldout}" && pwd)
JAR="$ROOT/target/facetoon.jar"
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -q -B -DskipTests package first" >&2; exit 1; }
SRC="$OUT/src"
mkdir -p "$SRC"
cd "$SRC"
[ -f vladmandic-face-api-1.7.15.tgz ] || npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null
rm -rf package && tar xzf vladmandic-face-api-1.7.15.tgz package/demo
java -cp "$JAR:$ROOT/target/lib/*" "$HERE/FindFaces.java" package/demo/sample[1-6].jpg 2>/dev/null \
  | grep '^sample' >faces.tsv
rm -rf "$OUT/faces"
/usr/bin/python3 "$HERE/crop_faces.py" faces.tsv package/demo "$OUT/faces"
(cd "$OUT/faces" && sha256sum *.png) >"$OUT/faces.sha256"
echo "$(ls "$OUT/faces" | wc -l) held-out faces in $OUT/faces"
