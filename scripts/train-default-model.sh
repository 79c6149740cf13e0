#!/usr/bin/env bash
# Trains the bundled default model the way checkpoints/facetoon-default.ftc was made (see
# checkpoints/MODEL_CARD.md), in resumable chunks, and exports it.
#
# Usage: scripts/train-default-model.sh DATA_DIR [WORKSPACE]
#   DATA_DIR    the set built by scripts/build-dataset.sh (photos/ and cartoons/)
#   WORKSPACE   where runs and checkpoints go (default: work-tmp/default-model, git-ignored)
# Environment (defaults are the card's values):
#   PRETRAIN_ITER=800  FINAL_ITER=4250  BATCH=8  SIZE=128  SEED=7  DEVICE=auto  JAR=target/facetoon.jar
#
# The stages, as the card describes (each resumes the same run; a resumed run keeps its checkpoint's rate and
# weights unless the command line names others, and every step's randomness depends on the seed and the
# iteration only, so stopping between stages changes nothing):
#   pretrain   pixel L1, lr 2e-4, to PRETRAIN_ITER
#   stage 1    the White-box weights (tv 1e4, surface 0.1, texture 1, content 200, structure 200, landmark 10),
#              lr 1e-4 (at 2e-4 it collapsed to a black image at iteration ~200 on this data), to 3,006
#   stage 2    texture weight 2, to 3,348
#   stage 3    texture 2 and content 100, to 3,625 (left longer at lr 1e-4 it burnt out by 3,875)
#   stage 4    texture 2, content 120, lr 5e-5, to 3,750 (longer, it started to burn bright areas out)
#   stage 5    texture 1.5, content 150, lr 5e-5, to FINAL_ITER (colours back nearer the photo's)
#
# Run the script again after an interruption: every stage resumes where it stopped, and stages already done are
# skipped. The photos of Grace Hopper are held out of training (a folder of links to the other photos is made in
# the workspace) so that the model can be judged on a face it never saw:
#   java -jar target/facetoon.jar test --model_version default --batch N --workspace WORKSPACE --photos DIR
# The last step writes WORKSPACE/facetoon-default.ftc; copy it to checkpoints/ to bundle it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "${1:?usage: scripts/train-default-model.sh DATA_DIR [WORKSPACE]}" && pwd)
WS=$(mkdir -p "${2:-$ROOT/work-tmp/default-model}" && cd "${2:-$ROOT/work-tmp/default-model}" && pwd)
JAR=${JAR:-$ROOT/target/facetoon.jar}
PRETRAIN_ITER=${PRETRAIN_ITER:-800}
FINAL_ITER=${FINAL_ITER:-4250}
[ -d "$DATA/photos" ] && [ -d "$DATA/cartoons" ] || { echo "$DATA has no photos/ and cartoons/ (scripts/build-dataset.sh)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -q -B -DskipTests package first" >&2; exit 1; }

# Training photos: every photo but the held-out person.
photos="$WS/photos-train"
rm -rf "$photos"
mkdir -p "$photos"
find "$DATA/photos" -maxdepth 1 -type f -name '*.png' ! -name '*grace-hopper*' -exec ln -s {} "$photos/" \;
echo "training photos: $(find "$photos" -maxdepth 1 -type l | wc -l) (held out: $(find "$DATA/photos" -maxdepth 1 -name '*grace-hopper*' | wc -l) Grace Hopper crops)"

common=(--workspace "$WS" --device "${DEVICE:-auto}" --batch_size "${BATCH:-8}" --image_size "${SIZE:-128}" --seed "${SEED:-7}")
newest() { find "$WS/runs/$1" -maxdepth 1 -name 'iter-*.ftc' 2>/dev/null | sort | tail -n 1; }
resume() { [ -n "$(newest "$1")" ] && echo --resume || true; }

java -jar "$JAR" pretrain "${common[@]}" --photos "$photos" --model_version pre \
    --total_iter "$PRETRAIN_ITER" --save_every 200 $(resume pre)
train=(java -jar "$JAR" train "${common[@]}" --photos "$photos" --cartoons "$DATA/cartoons" --model_version default
    --save_every 125)
if [ -z "$(newest default)" ]; then
    "${train[@]}" --init "$(newest pre)" --lr 1e-4 --total_iter 3006
else
    "${train[@]}" --resume --lr 1e-4 --total_iter 3006
fi
"${train[@]}" --resume --w2 2 --total_iter 3348
"${train[@]}" --resume --w2 2 --w3 100 --total_iter 3625
"${train[@]}" --resume --w2 2 --w3 120 --lr 5e-5 --total_iter 3750
"${train[@]}" --resume --w2 1.5 --w3 150 --lr 5e-5 --total_iter "$FINAL_ITER"
java -jar "$JAR" export "$(newest default)" --out "$WS/facetoon-default.ftc" --name "FaceToon default"
