#!/usr/bin/env bash
# Checks FaceToon on a machine with an NVIDIA GPU in one command (docs/gpu.md): the engine and the GPUs it sees,
# one cartoon on the GPU, 50 pretraining steps and their speed, and, with two GPUs or more, a short data-parallel
# training. Exit code 0 only when every check passes; each failure is one line.
#
# Usage: PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib scripts/gpu-check.sh
#   PYTORCH_LIBRARY_PATH: the lib folder of PyTorch's CUDA 12.8 build of libtorch 2.7.1 (docs/gpu.md); nothing is
#   downloaded. JAR: the application (default target/facetoon.jar).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/target/facetoon.jar}
fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }
pass() { echo "gpu-check: ok: $*"; }
[ -f "$JAR" ] || fail "no $JAR: run ./mvnw -q -B -DskipTests package first"
[ $# -eq 0 ] || { echo "usage: PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib scripts/gpu-check.sh" >&2; exit 2; }
[ -n "${PYTORCH_LIBRARY_PATH:-}" ] || fail "PYTORCH_LIBRARY_PATH is not set: point it at the lib folder of libtorch 2.7.1 for CUDA 12.8 (docs/gpu.md)"
[ -d "$PYTORCH_LIBRARY_PATH" ] || fail "PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH is not a folder"
command -v nvidia-smi >/dev/null || fail "nvidia-smi not found: no NVIDIA driver on this machine"
gpus=$(nvidia-smi -L | grep -c '^GPU ' || true)
[ "$gpus" -ge 1 ] || fail "nvidia-smi lists no GPU"
nvidia-smi -L
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
J=(java -jar "$JAR")

echo "== engine: libtorch from $PYTORCH_LIBRARY_PATH, ${gpus} GPU(s)"
"${J[@]}" bench --device gpu --only matmul --quick > "$ws/bench.txt" 2>&1 || { cat "$ws/bench.txt" >&2; fail "the engine does not run on the GPU"; }
grep -E "^machine:|GFLOP/s" "$ws/bench.txt" | head -4
pass "engine on the GPU"

echo "== one cartoon on the GPU"
start=$SECONDS
"${J[@]}" cartoonize "$ROOT/assets/samples/astronaut.png" --out "$ws/out" --device gpu --workspace "$ws/ws" \
    || fail "cartoonize --device gpu"
[ -s "$ws/out/astronaut_cartoon.png" ] || fail "no cartoon written"
pass "cartoon in $((SECONDS - start)) s (including the engine's start)"

echo "== 50 pretraining steps (batch 16, 128 px) on the GPU"
"${J[@]}" pretrain --photos "$ROOT/assets/samples" --total_iter 50 --batch_size 16 --save_every 50 --device gpu \
    --workspace "$ws/ws" --model_version gpu-check > "$ws/pretrain.txt" 2>&1 || { cat "$ws/pretrain.txt" >&2; fail "pretrain --device gpu"; }
rate=$(grep -o '[0-9.]* it/s' "$ws/pretrain.txt" | tail -n 1)
[ -s "$ws/ws/runs/gpu-check/iter-00000050.ftc" ] || fail "no checkpoint after 50 steps"
pass "50 steps, ${rate:-? it/s}"

if [ "$gpus" -ge 2 ]; then
    echo "== data-parallel training on every GPU (20 steps)"
    "${J[@]}" train --photos "$ROOT/assets/samples" --cartoons "$ROOT/assets/samples" --total_iter 20 --batch_size 16 \
        --save_every 20 --data_parallel --workspace "$ws/ws" --model_version gpu-check-dp \
        --init "$ws/ws/runs/gpu-check/iter-00000050.ftc" > "$ws/dp.txt" 2>&1 || { cat "$ws/dp.txt" >&2; fail "train --data_parallel"; }
    pass "data-parallel, $(grep -o '[0-9.]* it/s' "$ws/dp.txt" | tail -n 1)"
else
    echo "skip: one GPU, the data-parallel path needs two or more"
fi
echo "gpu-check: all checks passed"
