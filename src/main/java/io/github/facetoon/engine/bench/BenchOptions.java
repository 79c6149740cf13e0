package io.github.facetoon.engine.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * What a benchmark run measures and how often. {@link #defaults()} is sized to finish in a few minutes on a
 * two-core CPU; {@link #smoke()} is a smoke run whose figures only show that everything works.
 *
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param quick whether this is the quick preset (reported, so nobody mistakes its figures for real ones)
 * @param sections which sections to run: {@code matmul}, {@code inference}, {@code training}, {@code drift}
 *     (FLOP counts always)
 * @param inferenceSizes square image sides for inference, multiples of 8
 * @param batches batch sizes tried for the network alone (the best one is reported)
 * @param warmup untimed runs before each timed series
 * @param repeats timed runs per series (the median is reported)
 * @param trainBatch training batch size
 * @param trainSize training crop size
 * @param trainSteps timed training steps per run (after {@code trainWarmup})
 * @param trainWarmup untimed training steps per run
 * @param matmulSize side of the square fp32 matrices of the matrix-multiply rate
 * @param driftSteps training steps and inferences of the drift check (0 skips it)
 * @param driftBatch training batch size of the drift check
 * @param driftSize training crop size and inference side of the drift check
 * @param python the Python interpreter for the side-by-side reference, or null to skip it
 * @param pythonScript the reference script ({@code bench/reference.py})
 * @param threads intra-op threads for the engine and the Python reference; 0 keeps the engine's default (one per
 *     core), which the reference then copies
 */
public record BenchOptions(String device, boolean quick, Set<String> sections, int[] inferenceSizes, int[] batches,
                           int warmup, int repeats, int trainBatch, int trainSize, int trainSteps, int trainWarmup,
                           int matmulSize, int driftSteps, int driftBatch, int driftSize, String python,
                           Path pythonScript, int threads) {

    /** All sections. */
    public static final Set<String> ALL_SECTIONS = Set.of("matmul", "inference", "fullres", "video", "training", "busy",
            "drift");

    /** Validates the settings. */
    public BenchOptions {
        sections = Set.copyOf(sections);
        if (!ALL_SECTIONS.containsAll(sections)) {
            throw new IllegalArgumentException("sections must be among " + ALL_SECTIONS + ", got " + sections);
        }
        inferenceSizes = inferenceSizes.clone();
        batches = batches.clone();
        for (int s : inferenceSizes) {
            require(s >= 8 && s % 8 == 0, "inference sizes must be multiples of 8, got " + s);
        }
        for (int b : batches) {
            require(b >= 1, "batch sizes must be >= 1, got " + b);
        }
        require(inferenceSizes.length > 0 && batches.length > 0, "at least one inference size and batch size");
        require(warmup >= 0 && repeats >= 1, "warm-up >= 0 and repeats >= 1");
        require(trainBatch >= 1 && trainSteps >= 1 && trainWarmup >= 1, "training batch, steps and warm-up >= 1");
        require(trainSize >= 32 && trainSize % 8 == 0, "training size must be a multiple of 8 and >= 32, got " + trainSize);
        require(driftSize >= 32 && driftSize % 8 == 0, "drift size must be a multiple of 8 and >= 32, got " + driftSize);
        require(matmulSize >= 16, "matmul size >= 16");
        require(driftSteps >= 0 && driftBatch >= 1, "drift steps >= 0 and drift batch >= 1");
        require(threads >= 0, "threads >= 0");
    }

    /** The default run: 256², 512², 720²; batch 16 at 128 px; a few minutes on a two-core CPU. @return options */
    public static BenchOptions defaults() {
        return new BenchOptions("auto", false, ALL_SECTIONS, new int[] {256, 512, 720}, new int[] {1, 2, 4}, 2, 3,
                16, 128, 3, 1, 2048, 100, 2, 64, null, Path.of("bench", "reference.py"), 0);
    }

    /** A smoke run: tiny sizes and counts, seconds on a CPU; its figures mean nothing. @return options */
    public static BenchOptions smoke() {
        return new BenchOptions("auto", true, ALL_SECTIONS, new int[] {64}, new int[] {1, 2}, 1, 2, 2, 32, 2, 1, 256,
                6, 2, 32, null, Path.of("bench", "reference.py"), 0);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "BenchOptions[device=" + device + ", quick=" + quick + ", sections=" + sections + ", sizes="
                + Arrays.toString(inferenceSizes) + ", batches=" + Arrays.toString(batches) + ", warmup=" + warmup
                + ", repeats=" + repeats + ", train=" + trainBatch + "x" + trainSize + " px, steps=" + trainSteps
                + "+" + trainWarmup + ", matmul=" + matmulSize + ", drift=" + driftSteps + " @ " + driftBatch + "x"
                + driftSize + ", python=" + python + ", threads=" + threads + "]";
    }
}
