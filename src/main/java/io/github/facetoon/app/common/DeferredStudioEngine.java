package io.github.facetoon.app.common;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.DeviceInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.TestReport;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An engine that is still opening: every call waits until it is open, then delegates. The studio opens the
 * engine on a background thread so the window shows at once; ViewModels call the engine only from background
 * threads, so the wait never blocks the FX thread.
 */
public final class DeferredStudioEngine implements StudioEngine {

    private final CompletableFuture<StudioEngine> engine;

    /**
     * Wraps an engine being opened.
     *
     * @param engine completes with the open engine, or exceptionally when it cannot be opened
     */
    public DeferredStudioEngine(CompletableFuture<StudioEngine> engine) {
        this.engine = engine;
    }

    /** Completes when the engine is open (or failed to open). */
    public CompletableFuture<StudioEngine> ready() {
        return engine;
    }

    private StudioEngine engine() {
        try {
            return engine.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the engine could not start: " + ErrorText.unwrap(e).getMessage(), e);
        }
    }

    @Override
    public DeviceInfo deviceInfo() {
        return engine().deviceInfo();
    }

    @Override
    public TrainingRun startTraining(TrainingConfig config, TrainingListener listener) {
        return engine().startTraining(config, listener);
    }

    @Override
    public io.github.facetoon.engine.train.TrainingEstimate estimate(TrainingConfig config) throws IOException {
        return engine().estimate(config);
    }

    @Override
    public void saveImage(io.github.facetoon.engine.vision.PixelImage image, Path target,
                          java.util.Collection<Path> inputs) throws IOException {
        engine().saveImage(image, target, inputs);
    }

    @Override
    public Path saveNewImage(io.github.facetoon.engine.vision.PixelImage image, Path folder, String name)
            throws IOException {
        return engine().saveNewImage(image, folder, name);
    }

    @Override
    public io.github.facetoon.engine.ExportedFile exportModel(java.util.List<Path> checkpoints, Path out, String name,
                                                             Path base) throws IOException {
        return engine().exportModel(checkpoints, out, name, base);
    }

    @Override
    public io.github.facetoon.engine.ExportedFile exportTrainingState(Path checkpoint, Path out, boolean withBase)
            throws IOException {
        return engine().exportTrainingState(checkpoint, out, withBase);
    }

    @Override
    public String loadModel(ModelChoice model) throws IOException {
        return engine().loadModel(model);
    }

    @Override
    public CartoonResult cartoonize(Path photo, ModelChoice model, CartoonOptions options) throws IOException {
        return engine().cartoonize(photo, model, options);
    }

    @Override
    public io.github.facetoon.engine.eval.ImageEvaluation evaluate(Path photo, ModelChoice model, CartoonOptions options)
            throws IOException {
        return engine().evaluate(photo, model, options);
    }

    @Override
    public io.github.facetoon.engine.vision.PixelImage compare(Path photo, List<ModelChoice> models, CartoonOptions options,
                                                               int height) throws IOException {
        return engine().compare(photo, models, options, height);
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        return engine().checkpoints();
    }

    @Override
    public java.util.Optional<io.github.facetoon.engine.train.PretrainedStart> pretrainedStart() throws IOException {
        return engine().pretrainedStart();
    }

    @Override
    public io.github.facetoon.engine.train.RunLibrary runLibrary() {
        return engine().runLibrary();
    }

    @Override
    public long exportOnnx(ModelChoice model, Path out, boolean withFilter, double strength) throws IOException {
        return engine().exportOnnx(model, out, withFilter, strength);
    }

    @Override
    public io.github.facetoon.engine.FaceOnPhoto landmarks(Path photo, boolean draw, boolean heatmap)
            throws IOException {
        return engine().landmarks(photo, draw, heatmap);
    }

    @Override
    public io.github.facetoon.engine.video.VideoInfo probeVideo(Path video) throws IOException {
        return engine().probeVideo(video);
    }

    @Override
    public io.github.facetoon.engine.vision.PixelImage videoFrame(Path video, double seconds) throws IOException {
        return engine().videoFrame(video, seconds);
    }

    @Override
    public CartoonResult cartoonizeVideoFrame(Path video, double seconds, ModelChoice model, CartoonOptions options)
            throws IOException {
        return engine().cartoonizeVideoFrame(video, seconds, model, options);
    }

    @Override
    public io.github.facetoon.engine.video.VideoCartoonizer.Result cartoonizeVideo(Path video, Path out,
            ModelChoice model, CartoonOptions options,
            io.github.facetoon.engine.video.VideoCartoonizer.ProgressListener progress,
            java.util.function.BooleanSupplier cancelled) throws IOException {
        return engine().cartoonizeVideo(video, out, model, options, progress, cancelled);
    }

    @Override
    public TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException {
        return engine().test(model, photos, imageSize);
    }

    @Override
    public void close() {
        // Close whenever it finishes opening; never wait on the caller's thread.
        engine.thenAccept(StudioEngine::close);
    }
}
