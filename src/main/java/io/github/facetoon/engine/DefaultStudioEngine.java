package io.github.facetoon.engine;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.data.ImageReader;
import io.github.facetoon.engine.eval.CartoonMetrics;
import io.github.facetoon.engine.eval.CartoonScore;
import io.github.facetoon.engine.eval.ImageEvaluation;
import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.infer.InferenceSize;
import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.train.CheckpointException;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointHeader;
import io.github.facetoon.engine.train.CheckpointStore;
import io.github.facetoon.engine.train.RunLibrary;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingLoops;
import io.github.facetoon.engine.train.TrainingRun;
import io.github.facetoon.engine.train.TrainingRunner;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind the studio and the command line. */
final class DefaultStudioEngine implements StudioEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStudioEngine.class);

    private final Workspace workspace;
    private final Device device;
    private final ImageReader reader = new ImageReader();
    private final LoadedModels models;
    private final FaceMeasures faces = new FaceMeasures();
    private final List<TrainingRunner> runs = new ArrayList<>();
    private final RunLibrary runLibrary;

    DefaultStudioEngine(Workspace workspace, String deviceSpec) {
        this.workspace = workspace;
        this.device = EngineRuntime.resolveDevices(deviceSpec).get(0);
        this.models = new LoadedModels(device);
        this.runLibrary = new RunLibrary(workspace, name -> isTraining(name::equals));
        OpenCvRuntime.ensureLoaded();
        EngineRuntime.logStart(device);
    }

    @Override
    public DeviceInfo deviceInfo() {
        boolean gpu = device.isGpu();
        String description = gpu ? "GPU " + device.getDeviceId()
                : "CPU, " + Runtime.getRuntime().availableProcessors() + " cores";
        var engine = EngineRuntime.engine();
        return new DeviceInfo(device.toString(), description, gpu,
                engine.getEngineName() + " " + engine.getVersion(), EngineRuntime.isOffline());
    }

    @Override
    public TrainingRun startTraining(TrainingConfig config, TrainingListener listener) {
        try {
            RunLibrary.refuseOverwrite(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        List<Device> devices = devicesFor(config);
        TrainingRunner runner = new TrainingRunner(config, () -> {
            try {
                return TrainingLoops.create(config, devices, listener);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, listener);
        synchronized (runs) {
            runs.add(runner);
        }
        return runner.start();
    }

    @Override
    public io.github.facetoon.engine.train.TrainingEstimate estimate(TrainingConfig config) throws IOException {
        if (isTraining(name -> true)) {
            throw new IllegalStateException("a training is running: the estimate would share its cores");
        }
        return io.github.facetoon.engine.train.TrainingEstimate.measure(config, devicesFor(config), 0);
    }

    @Override
    public void saveImage(PixelImage image, Path target, java.util.Collection<Path> inputs) throws IOException {
        writeBgr(image, target.toAbsolutePath().getParent(), m -> {
            new io.github.facetoon.engine.data.ImageWriter().write(m, target, inputs);
            return target;
        });
    }

    @Override
    public Path saveNewImage(PixelImage image, Path folder, String name) throws IOException {
        return writeBgr(image, folder, m -> new io.github.facetoon.engine.data.ImageWriter().writeNew(m, folder, name));
    }

    /** Writes an image through the engine's writer, as the 8-bit BGR it takes, into a folder made when missing. */
    private static Path writeBgr(PixelImage image, Path folder, BgrWrite write) throws IOException {
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Mat m = ImageTensors.pixelsToBgr(image);
        try {
            return write.to(m);
        } finally {
            m.release();
        }
    }

    private interface BgrWrite {
        Path to(Mat bgr) throws IOException;
    }

    @Override
    public String loadModel(ModelChoice model) throws IOException {
        NativeThreads.apply();
        return models.get(model).label();
    }

    @Override
    public CartoonResult cartoonize(Path photo, ModelChoice model, CartoonOptions options) throws IOException {
        NativeThreads.apply();
        long t0 = System.nanoTime();
        Mat input = reader.read(photo, options.maxShortSide());
        try {
            return cartoonize(input, photo.getFileName().toString(), model, options, t0);
        } finally {
            input.release();
        }
    }

    private CartoonResult cartoonize(Mat input, String name, ModelChoice model, CartoonOptions options, long t0)
            throws IOException {
        try {
            LoadedModels.Model c = models.get(model);
            try (CartoonPipeline.Made made = CartoonPipeline.run(input, options.maxShortSide(), options.strength(), c,
                    faces::detectAll)) {
                List<float[]> faces = new ArrayList<>();
                for (FaceLandmarks f : made.faces()) {
                    double[] p = f.points();
                    float[] pf = new float[p.length];
                    for (int i = 0; i < p.length; i++) {
                        pf[i] = (float) p[i];
                    }
                    faces.add(pf);
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                LOG.info("cartoonized {} ({}x{}, worked at {}x{}, strength {}) with the {} in {} ms", name,
                        made.photo().cols(), made.photo().rows(), made.workingWidth(), made.workingHeight(),
                        options.strength(), c.label(), millis);
                return new CartoonResult(ImageTensors.bgrToPixels(made.photo()), ImageTensors.bgrToPixels(made.cartoon()),
                        c.label(), faces, millis, made.workingWidth(), made.workingHeight(), options.strength(),
                        options.strength() == 1.0 ? "" : c.strengthNote());
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FaceOnPhoto landmarks(Path photo, boolean draw, boolean heatmap) throws IOException {
        NativeThreads.apply();
        Mat bgr = reader.read(photo);
        try {
            java.util.Optional<FaceLandmarks> face = faces.detect(bgr);
            PixelImage drawing = draw && face.isPresent()
                    ? io.github.facetoon.engine.representation.LandmarkRepresentation.draw(
                            ImageTensors.bgrToPixels(bgr), face.get().points(), heatmap)
                    : null;
            return new FaceOnPhoto(face, drawing);
        } finally {
            bgr.release();
        }
    }

    @Override
    public io.github.facetoon.engine.video.VideoInfo probeVideo(Path video) throws IOException {
        return io.github.facetoon.engine.video.VideoCartoonizer.probe(video);
    }

    @Override
    public PixelImage videoFrame(Path video, double seconds) throws IOException {
        Mat frame = io.github.facetoon.engine.video.VideoCartoonizer.frameAt(video, seconds);
        try {
            return ImageTensors.bgrToPixels(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public CartoonResult cartoonizeVideoFrame(Path video, double seconds, ModelChoice model, CartoonOptions options)
            throws IOException {
        NativeThreads.apply();
        long t0 = System.nanoTime();
        Mat frame = io.github.facetoon.engine.video.VideoCartoonizer.frameAt(video, seconds);
        try {
            return cartoonize(frame, video.getFileName() + String.format(java.util.Locale.ROOT, " at %.2f s", seconds),
                    model, options, t0);
        } finally {
            frame.release();
        }
    }

    @Override
    public io.github.facetoon.engine.video.VideoCartoonizer.Result cartoonizeVideo(Path video, Path out,
            ModelChoice model, CartoonOptions options,
            io.github.facetoon.engine.video.VideoCartoonizer.ProgressListener progress,
            java.util.function.BooleanSupplier cancelled) throws IOException {
        NativeThreads.apply();
        LoadedModels.Model c = models.get(model);
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        var result = io.github.facetoon.engine.video.VideoCartoonizer.run(video, out, options.maxShortSide(),
                options.strength(), c, faces::detectAll, progress, cancelled);
        LOG.info("video {}: {} frames {}x{} with the {} in {} s ({}){}", video.getFileName(), result.frames(),
                result.width(), result.height(), c.label(), String.format(java.util.Locale.ROOT, "%.1f",
                        result.wallSeconds()), result.encoder(), result.cancelled() ? ", stopped" : "");
        return result;
    }

    @Override
    public ImageEvaluation evaluate(Path photo, ModelChoice model, CartoonOptions options) throws IOException {
        NativeThreads.apply();
        Mat input = reader.read(photo, options.maxShortSide());
        try {
            LoadedModels.Model c = models.get(model);
            try (CartoonPipeline.Made made = CartoonPipeline.run(input, options.maxShortSide(), options.strength(), c,
                    faces::detectAll)) {
                CartoonScore score = CartoonMetrics.score(made.photo(), made.cartoon());
                // The faces the pipeline found on the photo are reused; the cartoon is searched on a copy of at most
                // DETECTION_SIDE, at the scale they were found at.
                double s = Math.min(1.0, (double) CartoonPipeline.DETECTION_SIDE
                        / Math.max(made.photo().cols(), made.photo().rows()));
                Mat q = CartoonPipeline.shrinkTo(made.cartoon(), (int) Math.round(Math.min(made.cartoon().cols(), made.cartoon().rows()) * s));
                try {
                    double nme = Double.NaN;
                    if (!made.faces().isEmpty()) {
                        FaceLandmarks f = made.faces().get(0);
                        double[] pts = f.points();
                        for (int i = 0; i < pts.length; i++) {
                            pts[i] *= s;
                        }
                        nme = faces.nme(new FaceLandmarks(pts, f.detection().scaled(s), f.crop().scaled(s)), q);
                    }
                    boolean faceOnCartoon = !faces.detectAll(q).isEmpty();
                    return new ImageEvaluation(photo.getFileName().toString(), score, nme, !made.faces().isEmpty(),
                            faceOnCartoon);
                } finally {
                    if (q != made.cartoon()) {
                        q.release();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(photo.getFileName() + ": " + e.getMessage(), e);
        } finally {
            input.release();
        }
    }

    @Override
    public PixelImage compare(Path photo, List<ModelChoice> models, CartoonOptions options, int height) throws IOException {
        NativeThreads.apply();
        Mat input = reader.read(photo, options.maxShortSide());
        List<Mat> tiles = new ArrayList<>();
        // Every model works at the scale the photo's faces ask for, as in the studio and evaluate; the faces are
        // found once (every model is given the same image) and handed out as copies.
        List<FaceLandmarks> found = new ArrayList<>();
        boolean[] searched = {false};
        CartoonPipeline.FaceFinder once = bgr -> {
            if (!searched[0]) {
                found.addAll(faces.detectAll(bgr));
                searched[0] = true;
            }
            return found.stream().map(f -> new FaceLandmarks(f.points().clone(), f.detection(), f.crop())).toList();
        };
        try {
            for (int i = 0; i < models.size(); i++) {
                try (CartoonPipeline.Made made = CartoonPipeline.run(input, options.maxShortSide(), options.strength(),
                        this.models.get(models.get(i)), once)) {
                    if (i == 0) {
                        tiles.add(toHeight(made.photo(), height));
                    }
                    tiles.add(toHeight(made.cartoon(), height));
                }
            }
            Mat row = new Mat();
            Core.hconcat(tiles, row);
            try {
                return ImageTensors.bgrToPixels(row);
            } finally {
                row.release();
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(photo.getFileName() + ": " + e.getMessage(), e);
        } finally {
            tiles.forEach(Mat::release);
            input.release();
        }
    }

    private static Mat toHeight(Mat bgr, int height) {
        Mat out = new Mat();
        int width = Math.max(1, (int) Math.round(bgr.cols() * (double) height / bgr.rows()));
        Imgproc.resize(bgr, out, new Size(width, height), 0, 0, height < bgr.rows() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return out;
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        List<CheckpointInfo> out = new ArrayList<>();
        Path runsDir = workspace.runs();
        if (!Files.isDirectory(runsDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runsDir)) {
            for (Path run : ds) {
                for (Path p : new CheckpointStore(run, 5, 0).list()) {
                    try {
                        CheckpointHeader h = CheckpointHeader.of(CheckpointFile.readHeader(p));
                        out.add(new CheckpointInfo(p, h.modelVersion().orElseThrow(), h.phase().orElseThrow(),
                                h.iteration(), h.weights().orElseThrow(), h.imageSize(), h.savedAt().orElseThrow()));
                    } catch (CheckpointException | RuntimeException e) {
                        LOG.warn("skipping an unreadable checkpoint: {}", e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list checkpoints in {}: {}", runsDir, e.getMessage());
        }
        out.sort(Comparator.comparing(CheckpointInfo::saved).reversed());
        return out;
    }

    @Override
    public long exportOnnx(ModelChoice model, Path out, boolean withFilter, double strength) throws IOException {
        NativeThreads.apply();
        if (model instanceof ModelChoice.Classic) {
            throw new IllegalArgumentException("the classic filter is not a network and cannot be exported; choose the "
                    + "bundled model, a model file or a checkpoint");
        }
        // A model of its own, not the shared one: the export moves its weights to the strength asked for.
        try (Cartoonizer c = model instanceof ModelChoice.Checkpoint cp ? Cartoonizer.fromCheckpoint(cp.path(), device)
                : Cartoonizer.bundled(device)) {
            return c.exportOnnx(out, withFilter, strength);
        }
    }

    @Override
    public ExportedFile exportModel(List<Path> checkpoints, Path out, String name, Path base) throws IOException {
        com.google.gson.JsonObject extra = new com.google.gson.JsonObject();
        if (name != null) {
            extra.addProperty("name", name);
        }
        return exported(out, checkpoints.size() == 1
                ? io.github.facetoon.engine.train.ModelExport.export(checkpoints.get(0), out, extra, base)
                : io.github.facetoon.engine.train.ModelExport.average(checkpoints, out, extra, base));
    }

    @Override
    public ExportedFile exportTrainingState(Path checkpoint, Path out, boolean withBase) throws IOException {
        return exported(out, io.github.facetoon.engine.train.ModelExport.compact(checkpoint, out, withBase));
    }

    private static ExportedFile exported(Path out, CheckpointFile written) throws IOException {
        return new ExportedFile(out, Files.size(out), CheckpointHeader.of(written.header()).iteration(),
                written.sections().containsKey(CheckpointFile.BASE_GENERATOR));
    }

    @Override
    public TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException {
        NativeThreads.apply();
        LoadedModels.Model c = models.get(model);
        List<TestReport.Item> items = new ArrayList<>();
        double sumL1 = 0;
        double sumNme = 0;
        int faces = 0;
        for (Path p : photos) {
            Mat input = reader.read(p);
            Mat square = InferenceSize.centreSquare(input, imageSize);
            Mat cartoon = c.apply(square);
            try {
                Mat diff = new Mat();
                Core.absdiff(square, cartoon, diff);
                double l1 = Core.mean(diff).val[0] + Core.mean(diff).val[1] + Core.mean(diff).val[2];
                diff.release();
                l1 = l1 / 3 / 127.5;
                sumL1 += l1;
                double nme = this.faces.nme(square, cartoon);
                if (!Double.isNaN(nme)) {
                    sumNme += nme;
                    faces++;
                }
                items.add(new TestReport.Item(p.getFileName().toString(), ImageTensors.bgrToPixels(square),
                        ImageTensors.bgrToPixels(cartoon), l1, nme, CartoonMetrics.score(square, cartoon)));
            } finally {
                input.release();
                square.release();
                cartoon.release();
            }
        }
        return new TestReport(c.label(), items, items.isEmpty() ? Double.NaN : sumL1 / items.size(),
                faces == 0 ? Double.NaN : sumNme / faces, faces);
    }

    @Override
    public java.util.Optional<io.github.facetoon.engine.train.PretrainedStart> pretrainedStart() throws IOException {
        return io.github.facetoon.engine.train.PretrainedStart.find(workspace);
    }

    @Override
    public RunLibrary runLibrary() {
        return runLibrary;
    }

    /** Whether a run whose name passes the test is training now in this engine. */
    private boolean isTraining(java.util.function.Predicate<String> name) {
        synchronized (runs) {
            return runs.stream().anyMatch(r -> !r.completion().isDone() && name.test(r.config().modelVersion()));
        }
    }

    /** The devices a configuration trains on: the engine's own for "auto". */
    private List<Device> devicesFor(TrainingConfig config) {
        return "auto".equals(config.device()) ? List.of(device) : EngineRuntime.resolveDevices(config.device());
    }

    @Override
    public void close() {
        synchronized (runs) {
            for (TrainingRun r : runs) {
                r.cancel();
            }
            for (TrainingRun r : runs) {
                try {
                    r.completion().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("a training did not stop in time: {}", e.toString());
                }
            }
        }
        models.close();
        faces.close();
    }
}
