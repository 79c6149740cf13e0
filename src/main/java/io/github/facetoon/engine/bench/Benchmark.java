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
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.data.ImageReader;
import io.github.facetoon.engine.data.UnreadableImageException;
import io.github.facetoon.engine.Samples;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.GeneratorBlock;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointHeader;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
                section(report, "fullres", () -> new FullResolutionBench(options, progress, device, SEED).run(tmp));
            }
            if (options.sections().contains("video")) {
                section(report, "video", () -> video(tmp));
            }
            if (options.sections().contains("training")) {
                section(report, "training", () -> trainingBench().training(tmp));
            }
            if (options.sections().contains("busy")) {
                section(report, "busy", () -> trainingBench().busyCore(tmp));
            }
            if (options.sections().contains("drift") && options.driftSteps() > 0) {
                section(report, "drift", () -> trainingBench().drift(tmp));
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

    /** The training sections' runner, one per benchmark so that its runs get distinct names. */
    private TrainingBench training;

    private TrainingBench trainingBench() {
        if (training == null) {
            training = new TrainingBench(options, progress, device, SEED);
        }
        return training;
    }

    /** A section's work; may fail without losing the other sections. */
    interface Section {
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
                        double ms = networkAlone(options, networks.generator(), store, manager, batch, size, peak) / batch;
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

    /** Median milliseconds of one generator forward of a (batch,3,size,size) input, without gradients. */
    static double networkAlone(BenchOptions options, GeneratorBlock generator, ParameterStore store,
                               NDManager manager, int batch, int size, ProcessMemory.Peak peak) {
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

    static void release(Mat m) {
        if (m != null) {
            m.release();
        }
    }

    static Path writeGeneratorCheckpoint(CartoonNetworks networks, Path tmp) throws IOException {
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
