package io.github.facetoon.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingLoops;
import io.github.facetoon.engine.train.TrainingRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.opencv.core.Mat;

/**
 * The benchmark's training sections: the pretraining, adversarial and full steps with previews on and off
 * ({@code training}), a busy second core ({@code busy}) and memory over a long run ({@code drift}); each on synthetic
 * photos and cartoons through the real {@link TrainingRunner}.
 */
final class TrainingBench {

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final Device device;
    private final long seed;

    /**
     * @param options what to measure
     * @param progress receives one line per stage
     * @param device where the networks run
     * @param seed the data's and the networks' seed
     */
    TrainingBench(BenchOptions options, Consumer<String> progress, Device device, long seed) {
        this.options = options;
        this.progress = progress;
        this.device = device;
        this.seed = seed;
    }

    JsonObject training(Path tmp) throws IOException, InterruptedException {
        int size = options.trainSize();
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("train/photos"), 24, size * 5 / 4, seed);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("train/cartoons"), 24, size * 5 / 4, seed + 1);
        int steps = options.trainWarmup() + options.trainSteps();
        LossWeights all = LossWeights.defaults();
        LossWeights adversarial = new LossWeights(all.tv(), all.surface(), all.texture(), 0, 0, 0);
        JsonObject o = new JsonObject();
        o.addProperty("batch", options.trainBatch());
        o.addProperty("size", size);
        o.add("pretrain", tryRun(() -> trainingRun("pretrain", TrainingConfig.Phase.PRETRAIN, all, false, photos, cartoons,
                tmp, steps)));
        o.add("full", tryRun(() -> trainingRun("full training (six terms)", TrainingConfig.Phase.TRAIN, all, false,
                photos, cartoons, tmp, steps)));
        o.add("fullWithPreviews", tryRun(() -> trainingRun("full training with live previews",
                TrainingConfig.Phase.TRAIN, all, true, photos, cartoons, tmp, steps)));
        o.add("adversarial", tryRun(() -> trainingRun("adversarial subset (G, guided filter, TV, surface and texture D)",
                TrainingConfig.Phase.TRAIN, adversarial, false, photos, cartoons, tmp, steps)));
        JsonObject full = o.getAsJsonObject("full");
        JsonObject withPreviews = o.getAsJsonObject("fullWithPreviews");
        if (!full.has("error") && !withPreviews.has("error")) {
            double off = full.get("runnerItPerSec").getAsDouble();
            double on = withPreviews.get("runnerItPerSec").getAsDouble();
            o.addProperty("previewCostShare", Stats.round(1 - on / off, 4));
        }
        return o;
    }

    /** Runs one training measurement; a failure (for example a NaN stop) becomes an error entry. */
    private JsonObject tryRun(Benchmark.Section run) throws InterruptedException {
        try {
            return run.run().getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            progress.accept("  failed: " + e.getMessage());
            JsonObject error = new JsonObject();
            error.addProperty("error", e.getMessage());
            return error;
        }
    }

    private JsonObject trainingRun(String label, TrainingConfig.Phase phase, LossWeights weights, boolean previews,
                                   Path photos, Path cartoons, Path tmp, int steps) throws IOException, InterruptedException {
        progress.accept("training: " + label + ", batch " + options.trainBatch() + ", " + options.trainSize() + " px, "
                + options.trainWarmup() + " + " + options.trainSteps() + " steps");
        TrainingConfig config = config(phase, weights, photos, cartoons, tmp, options.trainBatch(), options.trainSize(),
                steps).build();
        ProcessMemory.Peak peak = new ProcessMemory.Peak();
        peak.sample();
        List<Long> eventNanos = new ArrayList<>();
        TimedLoop[] loop = new TimedLoop[1];
        TrainingRunner runner = new TrainingRunner(config, () -> {
            loop[0] = new TimedLoop(createLoop(config), peak, 0, 1);
            return loop[0];
        }, event -> {
            if (event instanceof TrainingEvent.StepCompleted) {
                eventNanos.add(System.nanoTime());
            }
        });
        runner.setReportEvery(1);
        runner.setPreviewsEnabled(previews);
        long rssBefore = ProcessMemory.now().rssBytes();
        await(runner, label);
        long rssAfter = ProcessMemory.now().rssBytes();
        int w = options.trainWarmup();
        List<Double> intervals = new ArrayList<>();
        for (int i = w; i < eventNanos.size(); i++) {
            intervals.add((eventNanos.get(i) - eventNanos.get(i - 1)) / 1e6);
        }
        TimedLoop t = loop[0];
        List<Double> stepMs = t.stepMillis.subList(w, t.stepMillis.size());
        double stepSum = stepMs.stream().mapToDouble(Double::doubleValue).sum();
        double dataSum = t.dataWaitMillis.subList(w, t.dataWaitMillis.size()).stream().mapToDouble(Double::doubleValue).sum();
        double spSum = t.superpixelWaitMillis.subList(w, t.superpixelWaitMillis.size()).stream()
                .mapToDouble(Double::doubleValue).sum();
        JsonObject o = new JsonObject();
        o.addProperty("label", label);
        o.addProperty("previews", previews);
        o.addProperty("stepMs", Stats.round(Stats.median(stepMs), 1));
        o.addProperty("itPerSec", Stats.round(1e3 / Stats.median(stepMs), 4));
        o.addProperty("runnerItPerSec", Stats.round(1e3 / Stats.median(intervals), 4));
        o.addProperty("dataWaitShare", Stats.round(dataSum / stepSum, 4));
        o.addProperty("superpixelWaitShare", Stats.round(spSum / stepSum, 4));
        if (previews) {
            o.addProperty("previewCount", t.previewMillis.size());
            o.addProperty("previewMs", Stats.round(Stats.median(t.previewMillis), 1));
            o.addProperty("previewIntervalMs", TrainingRunner.DEFAULT_PREVIEW_INTERVAL_MILLIS);
        }
        o.addProperty("peakHeapBytes", peak.heapBytes());
        o.addProperty("peakRssBytes", peak.rssBytes());
        // What the process holds once the run has ended (its networks closed, memory given back), against before.
        o.addProperty("rssBeforeBytes", rssBefore);
        o.addProperty("rssAfterStopBytes", rssAfter);
        return o;
    }

    private TrainingConfig.Builder config(TrainingConfig.Phase phase, LossWeights weights, Path photos, Path cartoons,
                                          Path tmp, int batch, int size, int steps) {
        return TrainingConfig.builder(phase, photos, phase == TrainingConfig.Phase.TRAIN ? cartoons : null,
                        tmp.resolve("workspace"))
                .batchSize(batch).imageSize(size).totalIter(steps).saveEvery(Integer.MAX_VALUE)
                .seed(seed).weights(weights).device(options.device())
                // every measured run is a fresh run of its own: a run's folder never holds two runs
                .modelVersion("bench-" + phase.name().toLowerCase() + "-" + (++trainingRuns));
    }

    /** Training runs measured so far; names each run's folder. */
    private int trainingRuns;

    /**
     * A busy machine: the same small training (the drift check's size and batch, ten steps after two of
     * warm-up) on a quiet machine, then beside another program that keeps one core busy, at one thread per core and
     * with one thread fewer. The target: the busy run within 2.5x of the quiet one, at the threads the engine picks.
     */
    JsonObject busyCore(Path tmp) throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        int size = options.driftSize();
        int batch = options.driftBatch();
        int steps = options.quick() ? 3 : 10;
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("busy/photos"), 8, size * 5 / 4, seed);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("busy/cartoons"), 8, size * 5 / 4, seed + 1);
        JsonObject o = new JsonObject();
        o.addProperty("cores", cores);
        o.addProperty("size", size);
        o.addProperty("batch", batch);
        o.addProperty("steps", steps);
        int engineThreads = options.threads() > 0 ? options.threads() : cores;
        double quiet = busyRun("quiet machine, " + engineThreads + " threads", photos, cartoons, tmp, size, batch, steps,
                engineThreads);
        o.addProperty("quietMs", Stats.round(quiet, 1));
        Process competitor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BusyLoop.class.getName())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            double busy = busyRun("one core busy, " + engineThreads + " threads", photos, cartoons, tmp, size, batch,
                    steps, engineThreads);
            o.addProperty("busyMs", Stats.round(busy, 1));
            o.addProperty("busyOverQuiet", Stats.round(busy / quiet, 3));
            if (engineThreads > 1) {
                double fewer = busyRun("one core busy, " + (engineThreads - 1) + " threads", photos, cartoons, tmp, size,
                        batch, steps, engineThreads - 1);
                o.addProperty("busyFewerThreadsMs", Stats.round(fewer, 1));
                o.addProperty("busyFewerThreadsOverQuiet", Stats.round(fewer / quiet, 3));
            }
        } finally {
            competitor.getOutputStream().close();
            competitor.destroy();
            if (!competitor.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                competitor.destroyForcibly();
            }
        }
        o.addProperty("waitPolicy", io.github.facetoon.engine.NativeThreads.policy());
        o.addProperty("target", 2.5);
        return o;
    }

    /** The median step time (ms) of a small full training at a thread count. */
    private double busyRun(String label, Path photos, Path cartoons, Path tmp, int size, int batch, int steps, int threads)
            throws IOException, InterruptedException {
        progress.accept("busy core: " + label + ", " + size + " px, batch " + batch + ", 2 + " + steps + " steps");
        TrainingConfig config = config(TrainingConfig.Phase.TRAIN, LossWeights.defaults(), photos, cartoons, tmp, batch,
                size, 2 + steps).build();
        ProcessMemory.Peak peak = new ProcessMemory.Peak();
        TimedLoop[] loop = new TimedLoop[1];
        int before = io.github.facetoon.engine.NativeThreads.requested();
        io.github.facetoon.engine.NativeThreads.setThreads(threads);
        try {
            TrainingRunner runner = new TrainingRunner(config, () -> {
                loop[0] = new TimedLoop(createLoop(config), peak, 0, 1);
                return loop[0];
            }, event -> { });
            runner.setPreviewsEnabled(false);
            await(runner, label);
        } finally {
            io.github.facetoon.engine.NativeThreads.setThreads(before);
        }
        List<Double> ms = loop[0].stepMillis.subList(2, loop[0].stepMillis.size());
        return Stats.median(ms);
    }

    /** Builds a loop; runs on the runner's engine thread, which applies the thread count before every step. */
    private io.github.facetoon.engine.train.TrainingLoop createLoop(TrainingConfig config) {
        try {
            return TrainingLoops.create(config, device, event -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(TrainingRunner runner, String label) throws IOException, InterruptedException {
        runner.start();
        TrainingEvent end;
        try {
            end = runner.completion().get();
        } catch (ExecutionException e) {
            throw new IOException(label + " failed: " + e.getCause(), e.getCause());
        }
        if (end instanceof TrainingEvent.RunFailed failed) {
            throw new IOException(label + " failed at iteration " + failed.iteration() + ": " + failed.message());
        }
    }

    // ------------------------------------------------------------------------------------------------ drift

    JsonObject drift(Path tmp) throws IOException, InterruptedException {
        int n = options.driftSteps();
        int size = options.driftSize();
        int warm = Math.max(2, n / 10);
        int every = Math.max(1, (n - warm) / 4);
        JsonObject o = new JsonObject();
        o.addProperty("steps", n);
        o.addProperty("warmup", warm);
        o.addProperty("batch", options.driftBatch());
        o.addProperty("size", size);

        progress.accept("drift: " + n + " full training steps, batch " + options.driftBatch() + ", " + size + " px");
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("drift/photos"), 8, size * 5 / 4, seed);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("drift/cartoons"), 8, size * 5 / 4, seed + 1);
        // Checkpoints as in a real run (they are part of what must not leak, and a NaN step rolls back to one).
        TrainingConfig config = config(TrainingConfig.Phase.TRAIN, LossWeights.defaults(), photos, cartoons,
                tmp.resolve("drift"), options.driftBatch(), size, n + warm).saveEvery(Math.max(10, n / 10)).build();
        TimedLoop[] loop = new TimedLoop[1];
        ProcessMemory.Peak peak = new ProcessMemory.Peak();
        TrainingRunner runner = new TrainingRunner(config, () -> {
            loop[0] = new TimedLoop(createLoop(config), peak, warm, every);
            return loop[0];
        }, event -> {
            if (event instanceof TrainingEvent.StepCompleted s) {
                loop[0].maybeSettle(s.iteration(), s.iteration() == s.totalIter());
            }
        });
        runner.setReportEvery(1);
        runner.setPreviewsEnabled(false);
        await(runner, "the drift check's training");
        o.add("training", driftJson(loop[0].settled, loop[0].settledSteps));

        progress.accept("drift: " + n + " inferences at " + size + "²");
        List<ProcessMemory.Sample> samples = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device);
                CartoonNetworks networks = CartoonNetworks.create(manager, seed);
                Cartoonizer cartoonizer = Cartoonizer.fromCheckpoint(Benchmark.writeGeneratorCheckpoint(networks, tmp), device)) {
            Mat photo = SyntheticPhotos.photo(size, new java.util.Random(seed));
            try {
                for (int i = 1; i <= n + warm; i++) {
                    cartoonizer.cartoonize(photo).release();
                    if (i == warm || (i > warm && ((i - warm) % every == 0 || i == n + warm))) {
                        samples.add(ProcessMemory.settled());
                        at.add(i);
                    }
                }
            } finally {
                photo.release();
            }
        }
        o.add("inference", driftJson(samples, at));
        return o;
    }

    private static JsonObject driftJson(List<ProcessMemory.Sample> samples, List<Integer> at) {
        JsonObject o = new JsonObject();
        JsonArray readings = new JsonArray();
        for (int i = 0; i < samples.size(); i++) {
            JsonObject r = new JsonObject();
            r.addProperty("after", at.get(i));
            r.addProperty("heapBytes", samples.get(i).heapBytes());
            r.addProperty("rssBytes", samples.get(i).rssBytes());
            readings.add(r);
        }
        o.add("readings", readings);
        if (!samples.isEmpty()) {
            ProcessMemory.Sample first = samples.get(0);
            ProcessMemory.Sample last = samples.get(samples.size() - 1);
            o.addProperty("heapDriftBytes", last.heapBytes() - first.heapBytes());
            o.addProperty("rssDriftBytes", first.rssBytes() < 0 ? -1 : last.rssBytes() - first.rssBytes());
            o.addProperty("measuredSteps", at.get(at.size() - 1) - at.get(0));
        }
        return o;
    }

    // ------------------------------------------------------------------------------------------------ helpers
}
