#!/usr/bin/env bash
# Measures how long the installed studio takes to show its window, cold and warm, under Xvfb.
#
# Usage: scripts/bundle-start-time.sh [APP_DIR] [RUNS]
#   APP_DIR  an app-image or installed folder holding bin/FaceToon (default: target/bundle/FaceToon)
#   RUNS     cold/warm pairs to run (default: 3)
#
# cold: a fresh home folder (first start) and the bundle's files evicted from the page cache
#       (dd iflag=nocache; system libraries such as GTK stay cached, dropping all caches needs root);
# warm: a second start right after, same home folder.
# The time runs from starting the launcher until X reports a viewable window whose title starts with
# "FaceToon Studio" (GTK's own 10x10 leader window is called "FaceToon"). Needs Xvfb and xwininfo
# (Debian: xvfb x11-utils) and GTK 3 (libgtk-3-0).
set -euo pipefail

cd "$(dirname "$0")/.."
app=${1:-target/bundle/FaceToon}
runs=${2:-3}
launcher="$app/bin/FaceToon"
[ -x "$launcher" ] || { echo "no launcher at $launcher" >&2; exit 1; }
command -v Xvfb >/dev/null && command -v xwininfo >/dev/null || { echo "needs Xvfb and xwininfo" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/facetoon-start.XXXXXX")
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do xwininfo -display "$display" -root >/dev/null 2>&1 && break; sleep 0.1; done

evict() { find "$app" -type f -exec dd if={} iflag=nocache count=0 status=none \; ; }

now() { date +%s.%N; }

# Starts the studio, prints seconds until its window is viewable, then stops it.
time_window() {
    local home=$1 log=$2 start id=""
    start=$(now)
    env DISPLAY="$display" HOME="$home" JAVA_TOOL_OPTIONS="-Duser.home=$home" "$launcher" >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1200); do
        id=$(xwininfo -display "$display" -root -tree 2>/dev/null | awk '/"FaceToon Studio/ {print $1; exit}')
        if [ -n "$id" ] && xwininfo -display "$display" -id "$id" 2>/dev/null | grep -q IsViewable; then
            break
        fi
        id=""
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    local end cpu
    end=$(now)
    # CPU seconds the process used until then (user + system): less at the mercy of other load.
    cpu=$(awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$pid/stat" 2>/dev/null || echo "?")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -z "$id" ]; then
        echo "no window (see $log)" >&2
        cat "$log" >&2
        return 1
    fi
    awk -v a="$end" -v b="$start" -v c="$cpu" 'BEGIN { printf "%.2f/%s\n", a - b, c }'
}

echo "wall/cpu seconds until the window is viewable"
echo "run  cold_s       warm_s       home_after_first_start"
for i in $(seq "$runs"); do
    home="$work/home$i"
    mkdir -p "$home"
    evict
    cold=$(time_window "$home" "$work/cold$i.log")
    warm=$(time_window "$home" "$work/warm$i.log")
    printf '%-4s %-12s %-12s %s\n' "$i" "$cold" "$warm" "$(du -sh "$home" | cut -f1)"
done
echo "files in the home folder after the runs:"
(cd "$work/home1" && find . -mindepth 1 | sort | sed 's/^/  /')
