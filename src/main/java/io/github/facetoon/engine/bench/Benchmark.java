package io.github.facetoon.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.data.ImageReader;
import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.data.UnreadableImageException;
import io.github.facetoon.engine.Samples;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.GeneratorBlock;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointHeader;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingLoops;
import io.github.facetoon.engine.train.TrainingRunner;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Runs the benchmark sections and returns the report as a JSON tree (see {@code docs/benchmarks.md} for what each
 * field means). Every timing is the median of repeated runs after warm-up; every ratio compares figures of the same
 * run. Synthetic images go to a temporary folder that is deleted at the end; nothing touches the network.
 */
public final class Benchmark {

    /** Sizes whose FLOPs are always reported (the three). */
    static final int[] FLOP_SIZES = {256, 512, 720};
    private static final long SEED = 42;

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final Device device;

    private Benchmark(BenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
        this.device = EngineRuntime.resolveDevice(options.device());
        if (options.threads() > 0) {
            io.github.facetoon.engine.NativeThreads.setThreads(options.threads());
        }
        io.github.facetoon.engine.NativeThreads.apply();
    }

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @param progress receives one line per stage (for a console); never the report itself
     * @return the report
     * @throws IOException when the temporary images or checkpoints cannot be written, or a training run fails
     * @throws InterruptedException when interrupted while waiting for a training run
     */
    public static JsonObject run(BenchOptions options, Consumer<String> progress) throws IOException, InterruptedException {
        OpenCvRuntime.ensureLoaded();
        return new Benchmark(options, progress).runAll();
    }

    private JsonObject runAll() throws IOException, InterruptedException {
        JsonObject report = new JsonObject();
        report.add("machine", MachineInfo.describe(device.toString()));
        report.add("options", optionsJson());
        report.add("flops", flops());
        Path tmp = Files.createTempDirectory("facetoon-bench");
        try {
            if (options.sections().contains("matmul")) {
                progress.accept("matmul: " + options.matmulSize() + "² fp32");
                section(report, "matmul", this::matmul);
            }
            if (options.sections().contains("inference")) {
                section(report, "inference", () -> inference(tmp));
            }
            if (options.sections().contains("fullres")) {
                section(report, "fullres", () -> fullResolution(tmp));
            }
            if (options.sections().contains("video")) {
                section(report, "video", () -> video(tmp));
            }
            if (options.sections().contains("training")) {
                section(report, "training", () -> training(tmp));
            }
            if (options.sections().contains("busy")) {
                section(report, "busy", () -> busyCore(tmp));
            }
            if (options.sections().contains("drift") && options.driftSteps() > 0) {
                section(report, "drift", () -> drift(tmp));
            }
        } finally {
            deleteTree(tmp);
        }
        report.getAsJsonObject("machine").addProperty("loadAverageEnd", MachineInfo.loadAverage());
        report.getAsJsonObject("machine").addProperty("peakRssBytes", ProcessMemory.peakRssBytes());
        if (options.python() != null) {
            progress.accept("python reference: " + options.pythonScript());
            JsonObject python = PythonReference.run(options, progress);
            report.add("python", python);
            report.add("ratios", Ratios.compute(report, python));
        }
        report.add("targets", Ratios.targets(report));
        return report;
    }

    /** A section's work; may fail without losing the other sections. */
    private interface Section {
        JsonElement run() throws IOException, InterruptedException;
    }

    /** Runs a section; a failure becomes {@code {"error": ...}} in the report, and the next section runs. */
    private void section(JsonObject report, String name, Section work) throws InterruptedException {
        try {
            report.add(name, work.run());
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            progress.accept(name + " failed: " + message);
            JsonObject error = new JsonObject();
            error.addProperty("error", message);
            report.add(name, error);
        }
    }

    /** Whether a report section ran without error. */
    static boolean ok(JsonObject report, String name) {
        return report.has(name) && !(report.get(name).isJsonObject() && report.getAsJsonObject(name).has("error"));
    }

    private JsonObject optionsJson() {
        JsonObject o = new JsonObject();
        o.addProperty("quick", options.quick());
        o.add("sections", strings(options.sections().stream().sorted().toList()));
        o.add("inferenceSizes", ints(options.inferenceSizes()));
        o.add("batches", ints(options.batches()));
        o.addProperty("warmup", options.warmup());
        o.addProperty("repeats", options.repeats());
        o.addProperty("trainBatch", options.trainBatch());
        o.addProperty("trainSize", options.trainSize());
        o.addProperty("trainSteps", options.trainSteps());
        o.addProperty("trainWarmup", options.trainWarmup());
        o.addProperty("matmulSize", options.matmulSize());
        o.addProperty("driftSteps", options.driftSteps());
        o.addProperty("driftBatch", options.driftBatch());
        o.addProperty("driftSize", options.driftSize());
        o.addProperty("threads", JniUtils.getNumThreads());
        return o;
    }

    // ------------------------------------------------------------------------------------------------ FLOPs

    private JsonArray flops() {
        GeneratorBlock generator = new GeneratorBlock();
        JsonArray all = new JsonArray();
        java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>();
        for (int s : FLOP_SIZES) {
            sizes.add(s);
        }
        for (int s : options.inferenceSizes()) {
            sizes.add(s);
        }
        sizes.add(options.trainSize());
        for (int s : sizes) {
            GeneratorFlops.Count c = GeneratorFlops.count(generator, s, s);
            JsonObject o = new JsonObject();
            o.addProperty("size", s);
            o.addProperty("convMacs", c.convMacs());
            o.addProperty("gflops", Stats.round(c.flops() / 1e9, 3));
            o.addProperty("elementwiseOps", c.elementwiseOps());
            all.add(o);
        }
        return all;
    }

    private static double gflops(int size) {
        return GeneratorFlops.count(new GeneratorBlock(), size, size).flops() / 1e9;
    }

    // ------------------------------------------------------------------------------------------------ matmul

    private JsonObject matmul() {
        int n = options.matmulSize();
        List<Double> seconds = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(device); NoGrad ng = NoGrad.enter()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            int runs = Math.max(3, options.repeats() * 2);
            for (int i = 0; i < options.warmup() + 1 + runs; i++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    sync(c);
                }
                if (i > options.warmup()) {
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
            }
        }
        double flop = 2.0 * n * n * n;
        JsonObject o = new JsonObject();
        o.addProperty("size", n);
        o.addProperty("medianGflops", Stats.round(flop / Stats.median(seconds) / 1e9, 2));
        o.addProperty("bestGflops", Stats.round(flop / Stats.min(seconds) / 1e9, 2));
        return o;
    }

    /** Waits for the device: reading one element forces a queued GPU computation to finish. */
    private static void sync(NDArray a) {
        try (NDArray first = a.flatten().get(0)) {
            first.toFloatArray();
        }
    }

    // ------------------------------------------------------------------------------------------------ inference

    private JsonArray inference(Path tmp) throws IOException {
        JsonArray all = new JsonArray();
        ProcessMemory.Peak peak = new ProcessMemory.Peak();
        try (NDManager manager = NDManager.newBaseManager(device);
                CartoonNetworks networks = CartoonNetworks.create(manager, SEED)) {
            ParameterStore store = new ParameterStore(manager, false);
            Path checkpoint = writeGeneratorCheckpoint(networks, tmp);
            try (Cartoonizer cartoonizer = Cartoonizer.fromCheckpoint(checkpoint, device)) {
                for (int size : options.inferenceSizes()) {
                    peak.reset();
                    peak.sample();
                    JsonObject o = new JsonObject();
                    o.addProperty("size", size);
                    double flop = gflops(size) * 1e9;
                    JsonArray batches = new JsonArray();
                    double bestMsPerImage = Double.POSITIVE_INFINITY;
                    int bestBatch = 0;
                    for (int batch : options.batches()) {
                        progress.accept("inference: network alone, " + size + "², batch " + batch);
                        double ms = networkAlone(networks.generator(), store, manager, batch, size, peak) / batch;
                        JsonObject b = new JsonObject();
                        b.addProperty("batch", batch);
                        b.addProperty("msPerImage", Stats.round(ms, 2));
                        b.addProperty("gflopsPerSecond", Stats.round(flop / (ms / 1e3) / 1e9, 2));
                        batches.add(b);
                        if (ms < bestMsPerImage) {
                            bestMsPerImage = ms;
                            bestBatch = batch;
                        }
                    }
                    o.add("network", batches);
                    o.addProperty("bestBatch", bestBatch);
                    o.addProperty("bestMsPerImage", Stats.round(bestMsPerImage, 2));
                    progress.accept("inference: whole path (decode, tensor, G, guided filter, encode), " + size + "²");
                    JsonObject path = wholePath(cartoonizer, networks.generator(), store, manager, size, peak);
                    o.add("path", path);
                    o.addProperty("peakHeapBytes", peak.heapBytes());
                    o.addProperty("peakRssBytes", peak.rssBytes());
                    all.add(o);
                }
            }
        }
        return all;
    }

    /** Photo sizes of the full-resolution path: about 1, 12 and 24 megapixels (3:2), or tiny ones in a quick run. */
    private int[][] fullResSizes() {
        return options.quick() ? new int[][] {{96, 64}, {192, 128}} : new int[][] {{1224, 816}, {4242, 2828}, {6000, 4000}};
    }

    /**
     * The studio's path at the photo's own size, with the bundled model: decode the JPEG, find faces, fit the model
     * at its working size, guided upsampling to the full photo. Beside it, the network alone at the working size and
     * at the photo's full size (measured at about 1 MP, where G fits in one pass, and scaled by the pixel count for
     * larger photos: G's cost is linear in the pixels).
     */
    /**
     * The video path on a 720p clip of a face (the astronaut sample filmed as a hand-held still scene, 2 s at 24 frames/s;
     * a smoke run: 160×96, 6 frames): frames per second, the time of each phase, and the flicker ratio.
     */
    private JsonObject video(Path tmp) throws IOException {
        int w = options.quick() ? 160 : 1280;
        int h = options.quick() ? 96 : 720;
        int frames = options.quick() ? 6 : 48;
        progress.accept("video: " + w + "×" + h + ", " + frames + " frames, a face, hand-held still scene");
        Path sample = Samples.copyTo(tmp.resolve("samples")).get(0);
        Mat photo = org.opencv.imgcodecs.Imgcodecs.imread(sample.toString());
        Mat scene = io.github.facetoon.engine.video.StillClip.cover(photo, w, h);
        release(photo);
        Path clip = tmp.resolve("clip.mp4");
        io.github.facetoon.engine.video.StillClip.write(clip, scene, frames, 24, 2.0);
        release(scene);
        Path out = tmp.resolve("clip_cartoon.mp4");
        try (Cartoonizer cartoonizer = Cartoonizer.bundled(device);
                io.github.facetoon.engine.perception.LandmarkDetector faces =
                        io.github.facetoon.engine.perception.LandmarkDetector.create()) {
            var r = io.github.facetoon.engine.video.VideoCartoonizer.run(clip, out, 0, 1.0, cartoonizer,
                    faces::detectAll, null, () -> false);
            double flicker = io.github.facetoon.engine.video.Flicker.ratio(clip, out);
            JsonObject o = new JsonObject();
            o.addProperty("width", w);
            o.addProperty("height", h);
            o.addProperty("frames", r.frames());
            o.addProperty("encoder", r.encoder());
            o.addProperty("framesPerSecond", Stats.round(r.frames() / r.wallSeconds(), 3));
            o.addProperty("wallSeconds", Stats.round(r.wallSeconds(), 3));
            var p = r.phases();
            o.addProperty("decodeMsPerFrame", Stats.round(1000 * p.decode() / r.frames(), 2));
            o.addProperty("facesMsPerFrame", Stats.round(1000 * p.faces() / r.frames(), 2));
            o.addProperty("networkMsPerFrame", Stats.round(1000 * p.network() / r.frames(), 2));
            o.addProperty("upsampleMsPerFrame", Stats.round(1000 * p.upsample() / r.frames(), 2));
            o.addProperty("encodeMsPerFrame", Stats.round(1000 * p.encode() / r.frames(), 2));
            o.addProperty("flickerRatio", Stats.round(flicker, 3));
            return o;
        }
    }

    private JsonArray fullResolution(Path tmp) throws IOException {
        JsonArray all = new JsonArray();
        ImageReader reader = new ImageReader();
        try (Cartoonizer cartoonizer = Cartoonizer.bundled(device);
                io.github.facetoon.engine.perception.LandmarkDetector faces =
                        io.github.facetoon.engine.perception.LandmarkDetector.create();
                NDManager manager = NDManager.newBaseManager(device);
                CartoonNetworks networks = CartoonNetworks.create(manager, SEED)) {
            ParameterStore store = new ParameterStore(manager, false);
            double fullMsPerPixel = Double.NaN;
            for (int[] wh : fullResSizes()) {
                int w = wh[0];
                int h = wh[1];
                progress.accept("full-resolution path: " + w + "×" + h);
                Path photo = tmp.resolve("full-" + w + ".jpg");
                Mat small = SyntheticPhotos.photo(Math.max(64, w / 8), new java.util.Random(SEED + w));
                Mat big = new Mat();
                org.opencv.imgproc.Imgproc.resize(small, big, new org.opencv.core.Size(w, h), 0, 0,
                        org.opencv.imgproc.Imgproc.INTER_CUBIC);
                org.opencv.imgcodecs.Imgcodecs.imwrite(photo.toString(), big);
                release(small);
                release(big);
                ProcessMemory.Peak peak = new ProcessMemory.Peak();
                ProcessMemory.Sample before = ProcessMemory.settled();
                List<Double> decode = new ArrayList<>();
                List<Double> total = new ArrayList<>();
                List<Double> network = new ArrayList<>();
                int[] working = new int[2];
                for (int i = 0; i < options.warmup() + options.repeats(); i++) {
                    long t0 = System.nanoTime();
                    Mat decoded = reader.read(photo, 0);
                    long t1 = System.nanoTime();
                    peak.sample();
                    try (CartoonPipeline.Made made = CartoonPipeline.run(decoded, 0, 1.0, cartoonizer, faces::detectAll)) {
                        long t2 = System.nanoTime();
                        peak.sample();
                        working[0] = made.workingWidth();
                        working[1] = made.workingHeight();
                        // The network alone on the same working size, right after, under the same load.
                        Mat work = new Mat();
                        org.opencv.imgproc.Imgproc.resize(made.photo(), work,
                                new org.opencv.core.Size(made.workingWidth(), made.workingHeight()));
                        long t3 = System.nanoTime();
                        cartoonizer.fit(work, 1.0);
                        long t4 = System.nanoTime();
                        release(work);
                        if (i >= options.warmup()) {
                            decode.add((t1 - t0) / 1e6);
                            total.add((t2 - t0) / 1e6);
                            network.add((t4 - t3) / 1e6);
                        }
                    } finally {
                        decoded.release();
                    }
                }
                if (Double.isNaN(fullMsPerPixel)) {
                    int side8 = Math.min(1024, (int) Math.sqrt((double) w * h)) / 8 * 8;
                    fullMsPerPixel = networkAlone(networks.generator(), store, manager, 1, side8, peak) / ((double) side8 * side8);
                }
                JsonObject o = new JsonObject();
                o.addProperty("width", w);
                o.addProperty("height", h);
                o.addProperty("megapixels", Stats.round(w * (double) h / 1e6, 2));
                o.addProperty("workingWidth", working[0]);
                o.addProperty("workingHeight", working[1]);
                o.addProperty("decodeMs", Stats.round(Stats.median(decode), 1));
                o.addProperty("totalMs", Stats.round(Stats.median(total), 1));
                o.addProperty("networkAtWorkingMs", Stats.round(Stats.median(network), 1));
                o.addProperty("networkAtFullSizeMs", Stats.round(fullMsPerPixel * w * (double) h, 0));
                o.addProperty("networkAtFullSizeScaled", w * (long) h > 1024L * 1024);
                o.addProperty("pathOverNetworkAtWorking", Stats.round(Stats.median(total) / Stats.median(network), 2));
                o.addProperty("peakHeapGrowthBytes", peak.heapBytes() - before.heapBytes());
                o.addProperty("peakRssGrowthBytes", peak.rssBytes() - before.rssBytes());
                all.add(o);
            }
        }
        return all;
    }

    /** Median milliseconds of one generator forward of a (batch,3,size,size) input, without gradients. */
    private double networkAlone(GeneratorBlock generator, ParameterStore store, NDManager manager, int batch, int size,
                                ProcessMemory.Peak peak) {
        List<Double> ms = new ArrayList<>();
        try (NoGrad ng = NoGrad.enter(); NDManager sm = manager.newSubManager()) {
            NDArray input = sm.randomUniform(-1, 1, new Shape(batch, 3, size, size));
            for (int i = 0; i < options.warmup() + options.repeats(); i++) {
                long start = System.nanoTime();
                // The scope closes every intermediate and the output: nothing outlives the call.
                try (NDScope scope = new NDScope()) {
                    NDArray out = generator.forward(store, new NDList(input), false).singletonOrThrow();
                    sync(out);
                }
                if (i >= options.warmup()) {
                    ms.add((System.nanoTime() - start) / 1e6);
                }
                peak.sample();
            }
        }
        return Stats.median(ms);
    }

    /** The whole path on one JPEG: decode, the Cartoonizer (tensor, G, guided filter, back to pixels), encode. */
    private JsonObject wholePath(Cartoonizer cartoonizer, GeneratorBlock generator, ParameterStore store,
                                 NDManager manager, int size, ProcessMemory.Peak peak) {
        byte[] jpeg = SyntheticPhotos.jpeg(size, SEED + size);
        ImageReader reader = new ImageReader();
        // The network alone runs right before each path run, so that both see the same machine load: the share
        // outside the network compares figures taken seconds apart, not minutes.
        List<Double> network = new ArrayList<>();
        NDManager inputs = manager.newSubManager();
        NDArray input = inputs.randomUniform(-1, 1, new Shape(1, 3, size, size));
        List<Double> decode = new ArrayList<>();
        List<Double> cartoonize = new ArrayList<>();
        List<Double> encode = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        for (int i = 0; i < options.warmup() + options.repeats(); i++) {
            long n0 = System.nanoTime();
            try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
                sync(generator.forward(store, new NDList(input), false).singletonOrThrow());
            }
            if (i >= options.warmup()) {
                network.add((System.nanoTime() - n0) / 1e6);
            }
            long t0 = System.nanoTime();
            long t1;
            long t2;
            long t3;
            Mat photo = null;
            Mat cartoon = null;
            MatOfByte out = new MatOfByte();
            try {
                photo = reader.decode(jpeg, "bench.jpg");
                t1 = System.nanoTime();
                cartoon = cartoonizer.cartoonize(photo);
                t2 = System.nanoTime();
                Imgcodecs.imencode(".jpg", cartoon, out);
                t3 = System.nanoTime();
            } catch (UnreadableImageException e) {
                throw new IllegalStateException("the benchmark's own JPEG did not decode: " + e.getMessage(), e);
            } finally {
                release(photo);
                release(cartoon);
                out.release();
            }
            if (i >= options.warmup()) {
                decode.add((t1 - t0) / 1e6);
                cartoonize.add((t2 - t1) / 1e6);
                encode.add((t3 - t2) / 1e6);
                total.add((t3 - t0) / 1e6);
            }
            peak.sample();
        }
        inputs.close();
        JsonObject o = new JsonObject();
        o.addProperty("decodeMs", Stats.round(Stats.median(decode), 2));
        o.addProperty("cartoonizeMs", Stats.round(Stats.median(cartoonize), 2));
        o.addProperty("encodeMs", Stats.round(Stats.median(encode), 2));
        o.addProperty("totalMs", Stats.round(Stats.median(total), 2));
        double net = Stats.median(network);
        double whole = Stats.median(total);
        o.addProperty("networkMs", Stats.round(net, 2));
        o.addProperty("outsideNetworkShare", Stats.round((whole - net) / whole, 4));
        return o;
    }

    private static void release(Mat m) {
        if (m != null) {
            m.release();
        }
    }

    private static Path writeGeneratorCheckpoint(CartoonNetworks networks, Path tmp) throws IOException {
        JsonObject header = new JsonObject();
        header.addProperty("kind", CheckpointHeader.KIND_GENERATOR);
        header.addProperty("iteration", 0);
        header.addProperty("note", "benchmark: freshly initialised weights");
        Path file = tmp.resolve("bench-generator" + CheckpointFile.SUFFIX);
        new CheckpointFile(header, Map.of("generator", CheckpointFile.bytes(
                out -> networks.save(CartoonNetworks.Network.GENERATOR, out)))).write(file);
        return file;
    }

    // ------------------------------------------------------------------------------------------------ training

    private JsonObject training(Path tmp) throws IOException, InterruptedException {
        int size = options.trainSize();
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("train/photos"), 24, size * 5 / 4, SEED);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("train/cartoons"), 24, size * 5 / 4, SEED + 1);
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
    private JsonObject tryRun(Section run) throws InterruptedException {
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
                .seed(SEED).weights(weights).device(options.device())
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
    private JsonObject busyCore(Path tmp) throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        int size = options.driftSize();
        int batch = options.driftBatch();
        int steps = options.quick() ? 3 : 10;
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("busy/photos"), 8, size * 5 / 4, SEED);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("busy/cartoons"), 8, size * 5 / 4, SEED + 1);
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

    private JsonObject drift(Path tmp) throws IOException, InterruptedException {
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
        Path photos = SyntheticPhotos.writePhotos(tmp.resolve("drift/photos"), 8, size * 5 / 4, SEED);
        Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("drift/cartoons"), 8, size * 5 / 4, SEED + 1);
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
                CartoonNetworks networks = CartoonNetworks.create(manager, SEED);
                Cartoonizer cartoonizer = Cartoonizer.fromCheckpoint(writeGeneratorCheckpoint(networks, tmp), device)) {
            Mat photo = SyntheticPhotos.photo(size, new java.util.Random(SEED));
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

    private static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
