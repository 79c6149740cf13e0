package io.github.facetoon.engine;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.train.RunLibrary;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.eval.CartoonMetrics;
import io.github.facetoon.engine.eval.EvaluationReport;
import io.github.facetoon.engine.eval.ImageEvaluation;
import io.github.facetoon.engine.train.TrainingRun;
import io.github.facetoon.engine.vision.PixelImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine's public API: the one surface the studio and the command line use. It knows nothing of JavaFX
 * or picocli. Trainings run on the engine's own thread; the other methods run on the caller's thread and
 * may take seconds, so a UI calls them from a background thread.
 */
public interface StudioEngine extends AutoCloseable {

    /** What the engine runs on. */
    DeviceInfo deviceInfo();

    /**
     * Starts a pretraining or training run in the background.
     *
     * @param config the run's configuration
     * @param listener receives the run's events on the engine thread
     * @return a handle on the run
     * @throws IllegalStateException when a training already runs on this workspace
     * @throws io.github.facetoon.engine.train.RunExistsException when {@code config} does not resume and its run
     *     already has checkpoints (nothing is written)
     */
    TrainingRun startTraining(TrainingConfig config, TrainingListener listener);

    /**
     * Measures what a run will cost before it starts: a few real steps of its phase, size, batch and loss terms on
     * synthetic images (seconds on a CPU), and the memory they take.
     *
     * @param config the run
     * @return seconds per step, for the whole run, and memory
     * @throws IllegalStateException while a training runs (the measurement would share its cores)
     * @throws IOException when the networks cannot be loaded
     */
    io.github.facetoon.engine.train.TrainingEstimate estimate(TrainingConfig config) throws IOException;

    /**
     * Cartoonizes one photo. The model works at the scale it was trained at (the largest face brought to the
     * trained face size, else the short side at twice the training size); the cartoon is brought back to the
     * output size by guided upsampling, so it has the photo's own size unless {@code options} limits it.
     *
     * @param photo an image file (jpg, png, webp, bmp, tiff, ...)
     * @param model which model to use
     * @param options output size limit and strength
     * @return the photo and its cartoon
     * @throws IOException when the file cannot be read or decoded (the message names the file and the reason)
     */
    CartoonResult cartoonize(Path photo, ModelChoice model, CartoonOptions options) throws IOException;

    /**
     * Loads a model (kept for the photos that follow) and says what it is, so that a file chosen as the model is
     * checked when it is chosen rather than on every photo.
     *
     * @param model which model
     * @return what the cartoons will say they were made with
     * @throws IOException when it is not a usable model: the message names the file and the reason
     */
    String loadModel(ModelChoice model) throws IOException;

    /**
     * Cartoonizes one photo as {@link #cartoonize} does and measures how much of a cartoon it is: the figures of
     * {@link CartoonMetrics} (docs/evaluation.md), the landmark error between photo and cartoon, and whether a face
     * is still found on the cartoon.
     *
     * @param photo an image file
     * @param model which model
     * @param options output size limit and strength (the studio's defaults: {@link CartoonOptions#defaults()})
     * @return the photo's figures; with {@link EvaluationReport#of} several make a report with medians
     * @throws IOException when the file cannot be read or the model cannot be loaded
     */
    ImageEvaluation evaluate(Path photo, ModelChoice model, CartoonOptions options) throws IOException;

    /**
     * Cartoonizes one photo with several models and puts them side by side: photo | one column per model.
     *
     * @param photo an image file
     * @param models the models, in column order
     * @param options output size limit and strength
     * @param height the row's height in pixels
     * @return the row, every image scaled to {@code height}
     * @throws IOException when the file cannot be read or a model cannot be loaded
     */
    PixelImage compare(Path photo, List<ModelChoice> models, CartoonOptions options, int height) throws IOException;

    /**
     * Saves an image (a cartoon) atomically as PNG, JPEG or WebP, by the target's extension: the file appears whole
     * or not at all, and never over one of the photos it was made from. Name it with
     * {@link io.github.facetoon.engine.data.CartoonNames}, the rule the command line follows too.
     *
     * @param image the image
     * @param target a .png, .jpg, .jpeg or .webp file whose folder exists or can be made
     * @param inputs the photos it was made from
     * @throws IOException when it cannot be written (the message names the file); nothing is left behind
     */
    void saveImage(PixelImage image, Path target, java.util.Collection<Path> inputs) throws IOException;

    /**
     * Saves an image atomically as PNG under a name not yet taken in a folder ({@code name}, else {@code name-2}…):
     * for sheets and grids that must never replace an earlier one.
     *
     * @param image the image
     * @param folder the folder, made when missing
     * @param name a plain .png file name
     * @return the file written
     * @throws IOException when it cannot be written; nothing is left behind
     */
    Path saveNewImage(PixelImage image, Path folder, String name) throws IOException;

    /**
     * Lists the checkpoints in the workspace, newest first.
     *
     * @return the checkpoints
     */
    List<CheckpointInfo> checkpoints();

    /**
     * Where a training starts when it is given no generator: the newest pretraining of the workspace, else the bundled
     * model's pretrained generator (written into the workspace as a file). Never random weights, whose flat output the
     * adversarial terms cannot get out of.
     *
     * @return the start, or empty when there is neither
     * @throws IOException when the bundled generator cannot be written into the workspace
     */
    java.util.Optional<io.github.facetoon.engine.train.PretrainedStart> pretrainedStart() throws IOException;

    /**
     * The workspace's runs and its trash: what each run takes on disk, free names, moving runs to the trash and back.
     * {@link #startTraining} refuses a run that does not resume under a name that already has checkpoints.
     *
     * @return the library
     */
    RunLibrary runLibrary();

    /**
     * Cartoonizes test photos with a model and measures L1 and landmark error.
     *
     * @param model which model
     * @param photos test photos
     * @param imageSize the size the photos are cropped to
     * @return cartoons and metrics
     * @throws IOException when the model cannot be loaded
     */
    TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException;

    /**
     * Writes a model's generator as an ONNX file that other programs can run (docs/export.md): dynamic height and
     * width, opset 17, its layout, value range and pre- and post-processing in the file's metadata. The file appears
     * complete or not at all.
     *
     * @param model the bundled model or a model or checkpoint file (the classic filter is not a network)
     * @param out the .onnx file to write
     * @param withFilter whether the inference guided filter is inside the graph
     * @param strength the strength built into the weights (1: the model as trained; others need a base generator)
     * @return the size of the file in bytes
     * @throws IOException when the model cannot be loaded or the file not written
     * @throws IllegalArgumentException when the model or strength cannot be exported, with the reason
     */
    long exportOnnx(ModelChoice model, Path out, boolean withFilter, double strength) throws IOException;

    /** The ONNX operator set of {@link #exportOnnx}'s files. */
    int ONNX_OPSET = io.github.facetoon.engine.export.GeneratorOnnx.OPSET;

    /**
     * Writes a checkpoint's generator as a model file (what the studio and {@code cartoonize --model} load), without
     * the training machine's folders in its header; atomically, never over the checkpoint.
     *
     * @param checkpoints a training checkpoint or a model; or several checkpoints of one run, whose generators are
     *     then averaged (checkpoint averaging; the header and base are the last one's)
     * @param out the model file to write
     * @param name a display name for the model, or null
     * @param base the pretraining whose generator becomes the model's base for the strength control, or null to keep
     *     the base the checkpoint records, if any
     * @return what was written
     * @throws IOException when a file is damaged or has no generator, or the file cannot be written; nothing is
     *     written then
     */
    ExportedFile exportModel(List<Path> checkpoints, Path out, String name, Path base) throws IOException;

    /**
     * Writes the compact, resumable state of a training checkpoint: the generator and both discriminators, the
     * iteration, weights and configuration, without the optimisers' moments (a third of the size).
     *
     * @param checkpoint a full training checkpoint
     * @param out the file to write
     * @param withBase whether the base generator goes in too
     * @return what was written
     * @throws IOException when the checkpoint is not a full training state or the file cannot be written
     */
    ExportedFile exportTrainingState(Path checkpoint, Path out, boolean withBase) throws IOException;

    /**
     * The 68 landmarks of the largest face of a photo, read once by the engine's reader (orientation applied;
     * damaged, huge or odd files refused with the reason), and, when asked, the photo with them drawn on it (what
     * {@code landmarks --draw} writes).
     *
     * @param photo the photo
     * @param draw whether to draw the landmarks on the photo
     * @param heatmap with {@code draw}: whether Gaussian heat maps are blended under the points
     * @return the face (empty when none is found) and the drawing
     * @throws IOException when the photo cannot be read
     */
    FaceOnPhoto landmarks(Path photo, boolean draw, boolean heatmap) throws IOException;

    /**
     * Reads what a video holds (frame size, rate, count, duration, sound).
     *
     * @param video the file (mp4, mov, mkv, webm, avi or an animated GIF)
     * @return its description
     * @throws IOException when it is not a video that can be read, with the reason in one line
     */
    io.github.facetoon.engine.video.VideoInfo probeVideo(Path video) throws IOException;

    /**
     * The frame of a video shown at a time, upright, at the video's size (the studio's scrubber).
     *
     * @param video the file
     * @param seconds the time from the start
     * @return the frame's pixels
     * @throws IOException when it cannot be read
     */
    PixelImage videoFrame(Path video, double seconds) throws IOException;

    /**
     * The cartoon of one frame of a video (a preview of what {@link #cartoonizeVideo} makes of it).
     *
     * @param video the file
     * @param seconds the frame's time
     * @param model the model
     * @param options size and strength
     * @return the frame and its cartoon
     * @throws IOException when the video or the model cannot be read
     */
    CartoonResult cartoonizeVideoFrame(Path video, double seconds, ModelChoice model, CartoonOptions options)
            throws IOException;

    /**
     * Cartoonizes a video into a new file: the same frame size (or the size option's), frame times and frame count,
     * the sound copied, the working scale held steady across frames. Written under a temporary name and renamed when
     * complete; a cancelled or failed run leaves nothing under {@code out}. Runs on the calling thread.
     *
     * @param video the input video
     * @param out the file to write; its extension picks the container; it must not exist
     * @param model the model
     * @param options size and strength, as for photos
     * @param progress called after every frame, or null
     * @param cancelled asked before every frame
     * @return what was made (its {@code cancelled} flag set when stopped)
     * @throws IOException when the video cannot be read, the model loaded or the file written
     */
    io.github.facetoon.engine.video.VideoCartoonizer.Result cartoonizeVideo(Path video, Path out, ModelChoice model,
            CartoonOptions options, io.github.facetoon.engine.video.VideoCartoonizer.ProgressListener progress,
            java.util.function.BooleanSupplier cancelled) throws IOException;

    /**
     * Sets how many threads the engine's work uses from now on (a running training from its next step): 0 for one per
     * core, 1 when another program needs a core. Process-wide.
     *
     * @param threads 0 or more
     * @throws IllegalArgumentException for a negative count
     */
    default void setThreads(int threads) {
        NativeThreads.setThreads(threads);
    }

    /** Stops any running training (after its current step) and frees native memory. */
    @Override
    void close();
}
