#!/usr/bin/env bash
# Installs the FaceToon .deb into a throw-away root (dpkg -x) and cartoonizes a photo through the
# installed launcher, as an unprivileged user where possible (so the install folder is read-only to
# it) and with an empty home folder, which must stay (almost) empty: the natives ship unpacked.
#
# Usage: scripts/test-bundle.sh [--build] [path/to/facetoon_*.deb]
#   --build   build the bundle first (scripts/build-bundle.sh), compressing the .deb with gzip unless
#             DPKG_DEB_COMPRESSOR_TYPE says otherwise (dpkg's default, xz, takes over 15 minutes on 2 cores)
# Exit status 0 when every check passes. Needs dpkg (dpkg -x) and unzip; setpriv is used when run as root.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ "${1:-}" = "--build" ]; then
    shift
    DPKG_DEB_COMPRESSOR_TYPE=${DPKG_DEB_COMPRESSOR_TYPE:-gzip} scripts/build-bundle.sh
fi
deb=${1:-}
if [ -z "$deb" ]; then
    deb=$(ls -t target/bundle/facetoon_*_amd64.deb 2>/dev/null | head -n 1 || true)
fi
[ -n "$deb" ] && [ -f "$deb" ] || { echo "no .deb found: run scripts/build-bundle.sh or pass its path" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

root=$(mktemp -d "${TMPDIR:-/tmp}/facetoon-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"

echo "== installing $deb into $root"
dpkg -x "$deb" "$root/install"
app="$root/install/opt/facetoon"
launcher="$app/bin/FaceToon"
[ -x "$launcher" ] || fail "launcher $launcher missing"
pass "launcher at /opt/facetoon/bin/FaceToon"
for f in "$app/lib/facetoon-FaceToon.desktop" "$app/lib/FaceToon.png" "$app/lib/runtime/release"; do
    [ -f "$f" ] || fail "$f missing"
done
grep -qx 'Name=FaceToon Studio' "$app/lib/facetoon-FaceToon.desktop" \
    && grep -qx 'Exec=/opt/facetoon/bin/FaceToon %F' "$app/lib/facetoon-FaceToon.desktop" \
    || fail "the menu entry is not the one from src/packaging/linux/resources/FaceToon.desktop"
pass "menu entry, icon and runtime present"
mimes=$(grep '^MimeType=' "$app/lib/facetoon-FaceToon.desktop" || true)
for t in image/jpeg image/png image/webp image/bmp image/tiff video/mp4 video/quicktime video/x-matroska video/webm; do
    [[ "$mimes;" == *"=$t;"* || "$mimes;" == *";$t;"* ]] || fail "the menu entry does not offer to open $t ($mimes)"
done
pass "file associations: $mimes"

# No machine-specific path may leak into the launcher configuration.
if grep -n "$PWD\|/root/\|/home/" "$app/lib/app/FaceToon.cfg"; then
    fail "FaceToon.cfg names a build machine path"
fi
pass "FaceToon.cfg has no build machine paths"

# A user that is not root and owns only its home and output folders.
home="$root/home"
out="$root/out"
mkdir -p "$home" "$out"
cp assets/samples/astronaut.png "$root/photo.png"
run_as=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chown 65534:65534 "$home" "$out"
    chmod 644 "$root/photo.png"
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# Java takes user.home from the password database, not from $HOME: set it for the JVM.
launch() {
    env -i PATH=/usr/bin:/bin HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" FACETOON_WORKSPACE="$home/workspace" \
        "${run_as[@]}" "$launcher" "$@"
}

echo "== FaceToon --version"
launch --version | tee "$root/version.txt"
grep -q . "$root/version.txt" || fail "--version printed nothing"

echo "== FaceToon cartoonize (classic filter)"
start=$SECONDS
launch cartoonize "$root/photo.png" --out "$out" --model classic --device cpu 2>"$root/cartoonize.err"
cat "$root/cartoonize.err" >&2
if grep -E '\] (INFO|WARN)|Warning:' "$root/cartoonize.err"; then
    fail "library log lines reached the console (they belong in the workspace's logs/cli.log)"
fi
result="$out/photo_cartoon.png"
[ -s "$result" ] || fail "$result was not written"
[ "$(head -c 8 "$result" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$result is not a PNG"
pass "classic cartoon written ($((SECONDS - start)) s)"

echo "== FaceToon pretrain (2 tiny steps) and cartoonize with the checkpoint: libtorch trains and infers"
mkdir -p "$root/photos"
cp assets/samples/*.png "$root/photos/"
chmod -R a+rX "$root/photos"
start=$SECONDS
launch pretrain --photos "$root/photos" --total_iter 2 --batch_size 2 --image_size 32 --save_every 2 \
    --workspace "$home/workspace" --device cpu
ckpt="$home/workspace/runs/pre/iter-00000002.ftc"
[ -s "$ckpt" ] || fail "pretrain wrote no checkpoint at $ckpt"
launch cartoonize "$root/photo.png" --out "$out/gan" --model "$ckpt" --device cpu
[ -s "$out/gan/photo_cartoon.png" ] || fail "checkpoint cartoon was not written"
pass "trained 2 steps and cartoonized with the checkpoint ($((SECONDS - start)) s)"

echo "== FaceToon landmarks"
launch landmarks "$root/photo.png" > "$root/landmarks.txt"
[ "$(grep -c . "$root/landmarks.txt")" -ge 68 ] || fail "landmarks printed fewer than 68 lines"
pass "68 landmarks found"

if [ -f checkpoints/facetoon-default.ftc ]; then
    echo "== FaceToon cartoonize (bundled model)"
    start=$SECONDS
    launch cartoonize "$root/photo.png" --out "$out/bundled" --model bundled --device cpu
    [ -s "$out/bundled/photo_cartoon.png" ] || fail "bundled-model cartoon was not written"
    pass "bundled-model cartoon written ($((SECONDS - start)) s)"
else
    echo "skip: checkpoints/facetoon-default.ftc not in this checkout, bundled model not tested"
fi

echo "== FaceToon cartoonize a video (FFmpeg's libraries from the bundle)"
cp src/test/resources/video/astronaut.mp4 "$root/clip.mp4"
chmod 644 "$root/clip.mp4"
start=$SECONDS
launch cartoonize "$root/clip.mp4" --out "$out/video" --model classic --device cpu | tee "$root/video.txt"
clip="$out/video/clip_cartoon.mp4"
[ -s "$clip" ] || fail "$clip was not written"
[ "$(head -c 8 "$clip" | tail -c 4)" = "ftyp" ] || fail "$clip is not an MP4 file"
grep -q "12 frames, 128x96" "$root/video.txt" || fail "the cartoon video does not have the clip's 12 frames of 128x96"
grep -q "sound copied" "$root/video.txt" || fail "the clip's sound was not copied"
pass "cartoon video written, 12 frames with the sound ($((SECONDS - start)) s)"

echo "== what the runs left in the home folder"
(cd "$home" && find . -mindepth 1 | sort | sed 's/^/  /')
big=$(find "$home" -type f -size +1M | grep -v "^$home/workspace/" || true)
[ -z "$big" ] || fail "natives were unpacked into the home folder: $big"
pass "nothing over 1 MB unpacked into the home folder ($(du -sk "$home" | cut -f1) KB in all)"
echo "all bundle checks passed"
