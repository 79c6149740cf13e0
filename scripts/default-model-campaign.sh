#!/usr/bin/env bash
# The default-model campaign (docs/model-training.md): one long CPU training, resumed across sessions and
# machines from the compact state committed in checkpoints/campaign/, judged on held-out faces.
#
# Usage: scripts/default-model-campaign.sh DATA_DIR ITERATIONS [WORKSPACE]
#   DATA_DIR     the set built by scripts/build-dataset.sh (photos/ and cartoons/)
#   ITERATIONS   train until this iteration (the run's total, not a count of more steps)
#   WORKSPACE    default work-tmp/campaign (git-ignored)
# Environment: STAGE_FLAGS (the current stage's loss weights, rate, target and crop size, default the stage in
# checkpoints/campaign/STAGE), HELDOUT (a folder of held-out faces, scripts/heldout-faces/build.sh), JAR,
# INIT (only for the very first start, when there is no state yet: the model the campaign starts from; stage B
# started from checkpoints/campaign/warm.ftc).
#
# What it does:
# 1. When the workspace run has no checkpoint, it restores checkpoints/campaign/state.ftc (generator, both
#    discriminators, iteration, weights, rate; the optimisers' moments start afresh) into it.
# 2. Trains with --resume up to ITERATIONS (Ctrl+C stops cleanly and saves; run the script again to go on).
# 3. Writes the compact state back to checkpoints/campaign/state.ftc (without the base generator, which is kept
#    once in checkpoints/campaign/base.ftc) and, with HELDOUT, evaluates the newest model against the bundled one
#    and writes the contact sheet into the workspace.
# Commit checkpoints/campaign/state.ftc before a session ends.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "${1:?usage: scripts/default-model-campaign.sh DATA_DIR ITERATIONS [WORKSPACE]}" && pwd)
TOTAL=${2:?usage: scripts/default-model-campaign.sh DATA_DIR ITERATIONS [WORKSPACE]}
WS=$(mkdir -p "${3:-$ROOT/work-tmp/campaign}" && cd "${3:-$ROOT/work-tmp/campaign}" && pwd)
JAR=${JAR:-$ROOT/target/facetoon.jar}
STATE="$ROOT/checkpoints/campaign/state.ftc"
RUN=campaign
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -q -B -DskipTests package first" >&2; exit 1; }
STAGE_FLAGS=${STAGE_FLAGS:-$(grep -v '^#' "$ROOT/checkpoints/campaign/STAGE" | tr '\n' ' ')}

photos="$WS/photos-train"
if [ ! -d "$photos" ]; then
    mkdir -p "$photos"
    find "$DATA/photos" -maxdepth 1 -type f -name '*.png' ! -name '*grace-hopper*' -exec ln -s {} "$photos/" \;
fi
newest() { find "$WS/runs/$RUN" -maxdepth 1 -name 'iter-*.ftc' 2>/dev/null | sort | tail -n 1; }
start=(--resume)
if [ -z "$(newest)" ] && [ ! -f "$STATE" ]; then
    [ -n "${INIT:-}" ] || { echo "no checkpoint in $WS/runs/$RUN, no $STATE to restore and no INIT to start from" >&2; exit 1; }
    start=(--init "$INIT")
elif [ -z "$(newest)" ]; then
    # The header (after the 8-byte magic and the 4-byte format) is a length-prefixed JSON object.
    it=$(python3 -c 'import json, struct, sys; b = open(sys.argv[1], "rb").read(); n = struct.unpack(">i", b[12:16])[0]; print(json.loads(b[16:16 + n])["iteration"])' "$STATE")
    mkdir -p "$WS/runs/$RUN"
    cp "$STATE" "$WS/runs/$RUN/$(printf 'iter-%08d.ftc' "$it")"
    echo "restored the campaign state at iteration $it"
fi
# shellcheck disable=SC2086 # STAGE_FLAGS is a list of flags
OMP_WAIT_POLICY=PASSIVE java -jar "$JAR" train --workspace "$WS" --photos "$photos" --cartoons "$DATA/cartoons" \
    --model_version "$RUN" --batch_size 8 --seed 7 --device cpu --save_every 50 \
    --total_iter "$TOTAL" "${start[@]}" $STAGE_FLAGS
java -jar "$JAR" export "$(newest)" --compact --without_base --out "$STATE"
if [ -n "${HELDOUT:-}" ]; then
    java -jar "$JAR" export "$(newest)" --base "$ROOT/checkpoints/campaign/base.ftc" --out "$WS/candidate.ftc" \
        --name "FaceToon campaign"
    java -jar "$JAR" evaluate "$HELDOUT" --model "$WS/candidate.ftc" --model bundled --device cpu \
        --sheet "$WS/heldout-sheet.png" | tee "$WS/heldout-evaluation.txt"
fi
