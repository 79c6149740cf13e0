#!/usr/bin/env bash
# Takes the README's screenshots from the installed studio: starts the bundle's launcher under Xvfb with a
# fresh home folder, waits until the studio has cartoonized what it was given, and grabs its window.
#
# Usage: scripts/bundle-screenshots.sh OUT_DIR [APP_DIR]
#   APP_DIR   the installed application (default target/bundle/FaceToon; an install from the .deb is
#             ROOT/opt/facetoon)
# Writes OUT_DIR/studio-first-start.png (first start: the sample photo, cartoonized by the bundled model) and
# OUT_DIR/studio-open-with.png (the launcher given a photo, as "Open with FaceToon Studio" does; the photo is
# Grace Hopper's official portrait from matplotlib, a face the bundled model was not trained on).
# With xdotool it also takes OUT_DIR/studio-train.png (the Train page). Needs Xvfb, xwininfo (x11-utils) and
# ImageMagick's import.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:?usage: scripts/bundle-screenshots.sh OUT_DIR [APP_DIR]}
app=${2:-target/bundle/FaceToon}
launcher="$app/bin/FaceToon"
[ -x "$launcher" ] || { echo "no launcher at $launcher" >&2; exit 1; }
for t in Xvfb xwininfo import; do
    command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }
done
photo=/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg
[ -f "$photo" ] || { echo "needs $photo (Debian python-matplotlib-data)" >&2; exit 1; }
mkdir -p "$out"

work=$(mktemp -d "${TMPDIR:-/tmp}/facetoon-shots.XXXXXX")
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

# count LOG: how many cartoons the studio has logged so far.
count() { local n; n=$(grep -c "cartoonized " "$1" 2>/dev/null); echo "${n:-0}"; }

# shot NAME HOME WAIT ACTIONS [ARGS...]: start the studio, wait for its first cartoon (WAIT=cartoon) or for its
# window and the engine (WAIT=window), run the xdotool commands ACTIONS unless it is - (%W stands for the window),
# grab the window, quit.
shot() {
    local name=$1 home=$2 wait=$3 keys=$4 id="" log
    shift 4
    log="$work/$name.log"
    local before=0
    env DISPLAY="$display" HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home -Dorg.slf4j.simpleLogger.logFile=$log" \
        "$launcher" "$@" >"$work/$name.out" 2>&1 &
    local pid=$!
    for _ in $(seq 1200); do
        if [ "$wait" = window ] && grep -q "Engine: " "$log" 2>/dev/null || [ "$(count "$log")" -gt "$before" ]; then
            id=$(xwininfo -display "$display" -root -tree 2>/dev/null | awk '/"FaceToon Studio/ {print $1; exit}')
            [ -n "$id" ] && break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$id" ]; then
        echo "the studio showed no cartoon ($name); its output:" >&2
        cat "$work/$name.out" "$log" >&2 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
        return 1
    fi
    sleep 3   # let the viewer fit and paint the result
    if [ "$keys" != - ]; then
        # shellcheck disable=SC2086 # ACTIONS is a list of xdotool words
        DISPLAY="$display" xdotool windowfocus --sync "$id" ${keys//%W/$id}
        sleep 2
    fi
    import -display "$display" -window "$id" "$out/$name.png"
    grep "cartoonized " "$log" | tail -n 1 | sed 's/^/  /'
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "wrote $out/$name.png"
}

mkdir -p "$work/home1"
shot studio-first-start "$work/home1" cartoon -
# A second start of the same home: no sample any more, the photo it was opened with instead, cartoonized at its
# own size (the default output size).
shot studio-open-with "$work/home1" cartoon - "$photo"
if command -v xdotool >/dev/null; then
    # The Train page (Ctrl+2), where people start their own training.
    shot studio-train "$work/home1" window "key ctrl+2"
else
    echo "skip: studio-train needs xdotool (apt-get install xdotool)"
fi
