package io.github.facetoon.app;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.DeviceInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.TestReport;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.eval.CartoonScore;
import io.github.facetoon.engine.train.LiveLossWeights;
import io.github.facetoon.engine.train.RunLibrary;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingRun;
import io.github.facetoon.engine.vision.PixelImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * A scripted {@link StudioEngine} for ViewModel and View tests: training runs emit only what the test tells them
 * to (or, with {@link #autoSteps}, a short run at once), cartoonization posterizes the photo, and a file that is
 * not an image fails like the real engine does.
 */
public class FakeStudioEngine implements StudioEngine {

    /** Runs started, in order. */
    public final List<FakeRun> runs = new CopyOnWriteArrayList<>();
    /** Checkpoints listed. */
    public final List<CheckpointInfo> checkpoints = new CopyOnWriteArrayList<>();
    /** Photos passed to cartoonize, in order. */
    public final List<Path> cartoonized = new CopyOnWriteArrayList<>();
    /** The options of the last cartoonize call. */
    public volatile CartoonOptions lastOptions;
    /** When > 0, every run emits this many steps, saves a checkpoint and finishes inside startTraining. */
    public volatile int autoSteps;
    /** When set, startTraining throws this. */
    public volatile RuntimeException startFailure;
    /** Delay per cartoonize call, for the dev launcher. */
    public volatile long cartoonizeMillis;

    @Override
    public DeviceInfo deviceInfo() {
        return new DeviceInfo("cpu()", "Fake CPU, 2 cores", false, "FakeEngine 1.0", true);
    }

    /** What {@link #runLibrary()} returns; by default a library over an empty temporary workspace. */
    public volatile RunLibrary library;

    @Override
    public TrainingRun startTraining(TrainingConfig config, TrainingListener listener) {
        if (startFailure != null) {
            throw startFailure;
        }
        try {
            // as the real engine: a run that does not resume never writes into a run that has checkpoints
            RunLibrary.refuseOverwrite(config);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FakeRun run = new FakeRun(config, listener);
        runs.add(run);
        if (autoSteps > 0) {
            for (int i = 1; i <= autoSteps; i++) {
                run.step(i, 1.0 / i);
            }
            Path ckpt = config.workspace().resolve("runs").resolve(config.modelVersion())
                    .resolve(String.format("step-%06d", autoSteps)).resolve("generator.params");
            checkpoints.add(0, new CheckpointInfo(ckpt, config.modelVersion(), config.phase(), autoSteps,
                    run.weights().get(), config.imageSize(), Instant.now()));
            run.emit(new TrainingEvent.CheckpointSaved(autoSteps, ckpt));
            run.finish(ckpt, false);
        }
        return run;
    }

    /** Seconds per step the fake estimate reports. */
    public volatile double estimateSecondsPerStep = 1.5;

    @Override
    public io.github.facetoon.engine.train.TrainingEstimate estimate(TrainingConfig config) {
        return new io.github.facetoon.engine.train.TrainingEstimate(estimateSecondsPerStep,
                estimateSecondsPerStep * config.totalIter(), 1_500_000_000L);
    }

    @Override
    public io.github.facetoon.engine.ExportedFile exportModel(java.util.List<Path> checkpoints, Path out, String name,
                                                             Path base) {
        throw new UnsupportedOperationException("not used by the studio's tests");
    }

    @Override
    public io.github.facetoon.engine.ExportedFile exportTrainingState(Path checkpoint, Path out, boolean withBase) {
        throw new UnsupportedOperationException("not used by the studio's tests");
    }

    @Override
    public Path saveNewImage(PixelImage image, Path folder, String name) throws IOException {
        Path target = io.github.facetoon.engine.data.ImageWriter.uniqueName(folder, name);
        saveImage(image, target, java.util.List.of());
        return target;
    }

    @Override
    public void saveImage(PixelImage image, Path target, java.util.Collection<Path> inputs) throws IOException {
        if (inputs.contains(target)) {
            throw new IOException("will not write over " + target);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        String name = target.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean jpeg = name.endsWith(".jpg") || name.endsWith(".jpeg");
        BufferedImage img = new BufferedImage(image.width(), image.height(),
                jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, image.width(), image.height(), image.argb(), 0, image.width());
        // Whole or not at all, as the engine's writer: a reader never sees a half-written file.
        Path part = Files.createTempFile(target.toAbsolutePath().getParent(), ".fake-", ".part");
        ImageIO.write(img, jpeg ? "jpg" : "png", part.toFile());
        Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String loadModel(ModelChoice model) throws IOException {
        if (model instanceof ModelChoice.Checkpoint c && !new String(Files.readAllBytes(c.path()),
                java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("FAKEMODEL")) {
            throw new IOException(c.path().getFileName() + " is not a FaceToon checkpoint");
        }
        return model.label();
    }

    @Override
    public CartoonResult cartoonize(Path photo, ModelChoice model, CartoonOptions options) throws IOException {
        cartoonized.add(photo);
        if (cartoonizeMillis > 0) {
            try {
                Thread.sleep(cartoonizeMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (model instanceof ModelChoice.Checkpoint c && c.path().getFileName().toString().startsWith("fails")) {
            throw new IOException(c.path().getFileName() + " cannot be loaded");
        }
        PixelImage source = read(photo, options.maxShortSide() == CartoonOptions.ORIGINAL ? Integer.MAX_VALUE : options.maxShortSide());
        lastOptions = options;
        return new CartoonResult(source, posterize(source), model.label(), List.of(landmarks(source)), 12,
                source.width(), source.height(), options.strength(), "");
    }

    @Override
    public io.github.facetoon.engine.eval.ImageEvaluation evaluate(Path photo, ModelChoice model, CartoonOptions options)
            throws IOException {
        read(photo, 64);
        return new io.github.facetoon.engine.eval.ImageEvaluation(photo.getFileName().toString(), score(0.05), 0.01, true,
                true);
    }

    @Override
    public PixelImage compare(Path photo, List<ModelChoice> models, CartoonOptions options, int height) throws IOException {
        return read(photo, height);
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        return List.copyOf(checkpoints);
    }

    /** The last thread count asked for; -1: none (the real engine's setting is process-wide, so it is not touched). */
    public volatile int threads = -1;

    @Override
    public void setThreads(int threads) {
        this.threads = threads;
    }

    /** What {@link #pretrainedStart()} returns. */
    public volatile io.github.facetoon.engine.train.PretrainedStart pretrained;

    @Override
    public java.util.Optional<io.github.facetoon.engine.train.PretrainedStart> pretrainedStart() {
        return java.util.Optional.ofNullable(pretrained);
    }

    @Override
    public synchronized RunLibrary runLibrary() {
        if (library == null) {
            try {
                library = new RunLibrary(new Workspace(Files.createTempDirectory("facetoon-fake-ws")), name -> false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return library;
    }

    /** The ONNX exports asked for: model label, file, with the filter, strength. */
    /** Frames of every fake video (10 per second). */
    public volatile int videoFrames = 40;
    /** Time per fake video frame. */
    public volatile long videoFrameMillis = 5;
    /** Videos written, as "input|output|model|strength|size". */
    public final List<String> videosMade = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public io.github.facetoon.engine.FaceOnPhoto landmarks(Path photo, boolean draw, boolean heatmap)
            throws IOException {
        read(photo, Integer.MAX_VALUE);
        return new io.github.facetoon.engine.FaceOnPhoto(java.util.Optional.empty(), null);
    }

    @Override
    public io.github.facetoon.engine.video.VideoInfo probeVideo(Path video) throws IOException {
        if (!Files.exists(video)) {
            throw new NoSuchFileException(video.toString());
        }
        if (!new String(Files.readAllBytes(video), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("FAKEVIDEO")) {
            throw new IOException(video.getFileName() + " is not a video FaceToon can read");
        }
        return new io.github.facetoon.engine.video.VideoInfo(320, 240, 10, videoFrames, videoFrames / 10.0, "h264",
                "aac", 0);
    }

    @Override
    public PixelImage videoFrame(Path video, double seconds) throws IOException {
        probeVideo(video);
        int[] argb = new int[320 * 240];
        int shift = (int) Math.round(seconds * 20);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                argb[y * 320 + x] = 0xff000000 | ((x + shift) % 256) << 16 | (y % 256) << 8 | 128;
            }
        }
        return new PixelImage(320, 240, argb);
    }

    @Override
    public CartoonResult cartoonizeVideoFrame(Path video, double seconds, ModelChoice model, CartoonOptions options)
            throws IOException {
        PixelImage frame = videoFrame(video, seconds);
        return new CartoonResult(frame, posterize(frame), model.label(), List.of(), 1, 160, 120, options.strength(), "");
    }

    @Override
    public io.github.facetoon.engine.video.VideoCartoonizer.Result cartoonizeVideo(Path video, Path out,
            ModelChoice model, CartoonOptions options,
            io.github.facetoon.engine.video.VideoCartoonizer.ProgressListener progress,
            java.util.function.BooleanSupplier cancelled) throws IOException {
        var info = probeVideo(video);
        if (Files.exists(out)) {
            throw new IOException(out.getFileName() + " exists already: nothing is written over a file");
        }
        long t0 = System.nanoTime();
        for (int i = 1; i <= info.frameCount(); i++) {
            if (cancelled.getAsBoolean()) {
                return new io.github.facetoon.engine.video.VideoCartoonizer.Result(null, i - 1, 320, 240, 10,
                        (System.nanoTime() - t0) / 1e9, false, "", "fake", true,
                        io.github.facetoon.engine.video.VideoCartoonizer.Phases.NONE);
            }
            try {
                Thread.sleep(videoFrameMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (progress != null) {
                double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
                progress.progress(new io.github.facetoon.engine.video.VideoCartoonizer.Progress(i, info.frameCount(),
                        i / secs, (info.frameCount() - i) / (i / secs)));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, "FAKEVIDEO cartoon of " + video.getFileName());
        videosMade.add(video.getFileName() + "|" + out.getFileName() + "|" + model.label() + "|" + options.strength()
                + "|" + options.maxShortSide());
        return new io.github.facetoon.engine.video.VideoCartoonizer.Result(out, info.frameCount(), 320, 240, 10,
                (System.nanoTime() - t0) / 1e9, true, "", "fake", false,
                io.github.facetoon.engine.video.VideoCartoonizer.Phases.NONE);
    }

    public final List<String> onnxExports = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public long exportOnnx(ModelChoice model, Path out, boolean withFilter, double strength) throws IOException {
        if (model instanceof ModelChoice.Classic) {
            throw new IllegalArgumentException("the classic filter is not a network and cannot be exported");
        }
        byte[] bytes = ("fake onnx of " + model.label()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, bytes);
        onnxExports.add(model.label() + "|" + out.getFileName() + "|" + withFilter + "|" + strength);
        return bytes.length;
    }

    @Override
    public TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException {
        List<TestReport.Item> items = new ArrayList<>();
        double seed = Math.abs(model.label().hashCode() % 100) / 1000.0;
        for (Path p : photos) {
            PixelImage img = read(p, imageSize);
            items.add(new TestReport.Item(p.getFileName().toString(), img, posterize(img), 0.1 + seed, 0.05 + seed,
                    score(seed)));
        }
        return new TestReport(model.label(), items, 0.1 + seed, 0.05 + seed, items.size());
    }

    /** Plausible cartoon figures that differ from model to model, with no natives needed. */
    public static CartoonScore score(double seed) {
        return new CartoonScore(0.08 + seed, new double[] {3, -2, 1}, 0.06 + seed, 0.4, 0.6 + seed, 0.8, 0.9, 0.7,
                0.02, 0.03 + seed, 0.9, 0);
    }

    @Override
    public void close() {
        runs.forEach(FakeRun::cancel);
    }

    /** The newest run. */
    public FakeRun lastRun() {
        return runs.get(runs.size() - 1);
    }

    /**
     * Reads an image and scales its short side down to at most {@code maxShortSide}.
     *
     * @param photo the file
     * @param maxShortSide the limit
     * @return the pixels
     * @throws IOException when it is not an image
     */
    public static PixelImage read(Path photo, int maxShortSide) throws IOException {
        if (!Files.exists(photo)) {
            throw new NoSuchFileException(photo.toString());
        }
        BufferedImage img = ImageIO.read(photo.toFile());
        if (img == null) {
            throw new IOException("cannot decode " + photo.getFileName() + ": not a supported image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        double s = Math.min(1, maxShortSide / (double) Math.min(w, h));
        int tw = Math.max(8, (int) (w * s) / 8 * 8);
        int th = Math.max(8, (int) (h * s) / 8 * 8);
        int[] argb = new int[tw * th];
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                argb[y * tw + x] = img.getRGB(Math.min(w - 1, (int) (x / s)), Math.min(h - 1, (int) (y / s))) | 0xff000000;
            }
        }
        return new PixelImage(tw, th, argb);
    }

    /**
     * A cheap "cartoon": colours quantised to a few levels.
     *
     * @param src the photo
     * @return the cartoon
     */
    public static PixelImage posterize(PixelImage src) {
        int[] out = new int[src.argb().length];
        for (int i = 0; i < out.length; i++) {
            int p = src.argb()[i];
            int r = ((p >> 16) & 0xff) / 48 * 48 + 24;
            int g = ((p >> 8) & 0xff) / 48 * 48 + 24;
            int b = (p & 0xff) / 48 * 48 + 24;
            out[i] = 0xff000000 | (Math.min(255, r) << 16) | (Math.min(255, g) << 8) | Math.min(255, b);
        }
        return new PixelImage(src.width(), src.height(), out);
    }

    private static float[] landmarks(PixelImage img) {
        float[] pts = new float[136];
        for (int i = 0; i < 68; i++) {
            double a = 2 * Math.PI * i / 68;
            pts[2 * i] = (float) (img.width() / 2.0 + Math.cos(a) * img.width() * 0.25);
            pts[2 * i + 1] = (float) (img.height() / 2.0 + Math.sin(a) * img.height() * 0.3);
        }
        return pts;
    }

    /** A run that emits only what it is told to. */
    public static final class FakeRun implements TrainingRun {
        /** The configuration it was started with. */
        public final TrainingConfig config;
        private final TrainingListener listener;
        private final LiveLossWeights weights;
        private final CompletableFuture<TrainingEvent> completion = new CompletableFuture<>();
        private volatile boolean paused;
        private volatile boolean cancelled;
        private volatile int iteration;
        /** Preview settings received. */
        public volatile boolean previewsEnabled = true;

        FakeRun(TrainingConfig config, TrainingListener listener) {
            this.config = config;
            this.listener = listener;
            this.weights = new LiveLossWeights(config.weights());
            weights.addListener(w -> emit(new TrainingEvent.WeightsChanged(iteration + 1, w)));
        }

        /**
         * Emits one step with every loss term set from a base value.
         *
         * @param it the iteration
         * @param base the loss level
         */
        public void step(int it, double base) {
            iteration = it;
            Map<String, Double> losses = new HashMap<>();
            for (LossTerm t : LossTerm.values()) {
                losses.put(t.key(), base * (1 + t.key().length() / 10.0));
            }
            losses.put(LossTerm.TOTAL_KEY, base * 3);
            losses.put("d_surface", 0.5 + base / 10);
            losses.put("d_texture", 0.6 + base / 10);
            emit(new TrainingEvent.StepCompleted(it, config.totalIter(), config.phase() == null ? Phase.TRAIN
                    : config.phase(), losses, 4.2, (config.totalIter() - it) / 4.2, weights.get()));
        }

        /**
         * Emits preview images filled with one colour per role.
         *
         * @param it the iteration
         * @param size the image size
         */
        public void preview(int it, int size) {
            List<TrainingEvent.NamedImage> images = new ArrayList<>();
            int k = 0;
            for (String n : List.of("photo", "output", "surface", "texture", "structure", "landmark")) {
                int[] px = new int[size * size];
                java.util.Arrays.fill(px, 0xff000000 | (40 * k++ + it % 40) << 16 | 0x80a0);
                images.add(new TrainingEvent.NamedImage(n, new PixelImage(size, size, px)));
            }
            emit(new TrainingEvent.PreviewReady(it, images, List.of()));
        }

        /**
         * Emits a step with given losses.
         *
         * @param it the iteration
         * @param losses the losses
         * @param itPerSec the speed
         */
        public void emitStep(int it, Map<String, Double> losses, double itPerSec) {
            iteration = it;
            emit(new TrainingEvent.StepCompleted(it, config.totalIter(), config.phase(), losses, itPerSec,
                    (config.totalIter() - it) / itPerSec, weights.get()));
        }

        /**
         * Emits an event.
         *
         * @param event the event
         */
        public void emit(TrainingEvent event) {
            listener.onEvent(event);
        }

        /**
         * Finishes the run.
         *
         * @param checkpoint the last checkpoint
         * @param wasCancelled whether it was stopped
         */
        public void finish(Path checkpoint, boolean wasCancelled) {
            TrainingEvent done = new TrainingEvent.RunFinished(iteration, checkpoint, wasCancelled);
            emit(done);
            completion.complete(done);
        }

        /**
         * Fails the run.
         *
         * @param message the message
         */
        public void fail(String message) {
            TrainingEvent failed = new TrainingEvent.RunFailed(iteration, message);
            emit(failed);
            completion.complete(failed);
        }

        /** The current iteration. */
        public int iteration() {
            return iteration;
        }

        /** Whether cancel was called. */
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public LiveLossWeights weights() {
            return weights;
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public boolean isPaused() {
            return paused;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** The last learning rate set; NaN when none. */
        public volatile double learningRate = Double.NaN;

        @Override
        public void setLearningRate(double learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        public void setPreviewsEnabled(boolean enabled) {
            previewsEnabled = enabled;
        }

        @Override
        public void setPreviewInterval(long millis) {
            // previews are emitted by the test
        }

        @Override
        public CompletableFuture<TrainingEvent> completion() {
            return completion;
        }
    }
}
