package io.github.facetoon.app.cartoonize;

import io.github.facetoon.app.common.ErrorText;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.ImageFiles;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State and commands of the Cartoonize view: the dropped photos, one cartoonization at a time in the
 * background, the chosen model, and saving. Holds no controls.
 */
public final class CartoonizeViewModel {

    /** The default output size: the photo's own. */
    public static final int MAX_SHORT_SIDE = CartoonOptions.ORIGINAL;
    /** The output sizes the studio offers, largest first. */
    public static final List<Integer> OUTPUT_SIZES = List.of(CartoonOptions.ORIGINAL, CartoonOptions.UHD_4K,
            CartoonOptions.FULL_HD, CartoonOptions.HD);
    /**
     * Finished photos whose pixels stay in memory (a 720 px pair is about 7 MB); older ones are dropped and made
     * again when selected or saved, so a folder of hundreds of photos does not exhaust the heap.
     */
    static final int KEEP_IN_MEMORY = 40;

    private final StudioEngine engine;
    private final Executor background;
    private final Executor ui;
    private final Notifier notifier;
    /** Failures already reported (file and reason); UI thread only. */
    private final java.util.Set<String> reportedFailures = new java.util.HashSet<>();
    private final I18n i18n;

    private final ObservableList<PhotoItem> items = FXCollections.observableArrayList();
    private final ObjectProperty<PhotoItem> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObservableList<ModelChoice> models = FXCollections.observableArrayList(
            new ModelChoice.Bundled(), new ModelChoice.Classic());
    private final ObjectProperty<ModelChoice> model = new SimpleObjectProperty<>(this, "model", new ModelChoice.Bundled());
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(this, "working");
    private final ReadOnlyDoubleWrapper batchProgress = new ReadOnlyDoubleWrapper(this, "batchProgress", 0);
    private final ReadOnlyStringWrapper batchText = new ReadOnlyStringWrapper(this, "batchText", "");
    private final ObjectProperty<Path> saveFolder = new SimpleObjectProperty<>(this, "saveFolder");
    private final ObjectProperty<Path> openFolder = new SimpleObjectProperty<>(this, "openFolder");
    private final ReadOnlyBooleanWrapper selectedDone = new ReadOnlyBooleanWrapper(this, "selectedDone");
    private final IntegerProperty maxSide = new SimpleIntegerProperty(this, "maxSide", MAX_SHORT_SIDE);
    private final DoubleProperty strength = new SimpleDoubleProperty(this, "strength", 1.0);
    private final ReadOnlyBooleanWrapper showingSample = new ReadOnlyBooleanWrapper(this, "showingSample");
    private final javafx.beans.InvalidationListener resultListener = obs -> updateSelectedDone();
    // The video job: one at a time, beside the photo previews.
    private final ReadOnlyBooleanWrapper videoRunning = new ReadOnlyBooleanWrapper(this, "videoRunning");
    private final ReadOnlyDoubleWrapper videoProgress = new ReadOnlyDoubleWrapper(this, "videoProgress", 0);
    private final ReadOnlyStringWrapper videoStatus = new ReadOnlyStringWrapper(this, "videoStatus", "");
    private final javafx.beans.property.ReadOnlyObjectWrapper<Path> lastVideo =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "lastVideo");
    private volatile boolean videoCancelled;

    // The queue is touched only on the UI executor; one item is cartoonized at a time.
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private int batchTotal;
    private int batchDone;
    private int batch;
    private final ArrayDeque<PhotoItem> kept = new ArrayDeque<>();
    private int keepInMemory = KEEP_IN_MEMORY;

    /** A photo to make, with the model chosen then and the batch it is counted in. */
    private record Job(PhotoItem item, ModelChoice model, int batch) {}

    /**
     * Creates the model.
     *
     * @param engine the engine
     * @param background runs cartoonization and file work
     * @param ui runs property changes
     * @param notifier receives messages for the user
     * @param i18n the texts
     */
    public CartoonizeViewModel(StudioEngine engine, Executor background, Executor ui, Notifier notifier, I18n i18n) {
        this.engine = engine;
        this.background = background;
        this.ui = ui;
        this.notifier = notifier;
        this.i18n = i18n;
        selected.addListener((obs, old, now) -> {
            if (old != null) {
                old.resultProperty().removeListener(resultListener);
            }
            if (now != null) {
                now.resultProperty().addListener(resultListener);
                if (now.isEvicted()) {
                    redo(now);
                }
            }
            updateSelectedDone();
        });
    }

    /**
     * Sets how many finished photos keep their pixels (tests use a small number).
     *
     * @param count at least 1
     */
    void setKeepInMemory(int count) {
        keepInMemory = Math.max(1, count);
    }

    private void redo(PhotoItem item) {
        boolean wasQueued = queue.removeIf(j -> j.item() == item);
        if (!wasQueued && queue.isEmpty() && !working.get()) {
            newBatch();
        }
        queue.addFirst(new Job(item, model.get(), batch));
        item.markQueued();
        if (!wasQueued) {
            batchTotal++;
        }
        updateBatch();
        if (!working.get()) {
            next();
        }
    }

    private void remember(PhotoItem item) {
        kept.remove(item);
        kept.addLast(item);
        while (kept.size() > keepInMemory) {
            PhotoItem oldest = kept.stream().filter(i -> i != selected.get()).findFirst().orElse(null);
            if (oldest == null) {
                break;
            }
            kept.remove(oldest);
            oldest.evict();
        }
    }

    private void updateSelectedDone() {
        PhotoItem item = selected.get();
        selectedDone.set(item != null && item.getResult() != null);
    }

    // ---- Properties ----

    /** The photos, in the order they were added. */
    public ObservableList<PhotoItem> items() {
        return items;
    }

    /** The photo shown in the viewer. */
    public ObjectProperty<PhotoItem> selectedProperty() {
        return selected;
    }

    /** The models to choose from: bundled, classic, then the workspace's checkpoints. */
    public ObservableList<ModelChoice> models() {
        return models;
    }

    /** The model used for new photos. */
    public ObjectProperty<ModelChoice> modelProperty() {
        return model;
    }

    /** True while photos are being cartoonized. */
    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    /** Progress of the current batch in [0,1]. */
    public ReadOnlyDoubleProperty batchProgressProperty() {
        return batchProgress.getReadOnlyProperty();
    }

    /** "3 of 12 photos". */
    public ReadOnlyStringProperty batchTextProperty() {
        return batchText.getReadOnlyProperty();
    }

    /** The last folder saved to. */
    public ObjectProperty<Path> saveFolderProperty() {
        return saveFolder;
    }

    /** The folder photos were last added from (file choosers open there). */
    public ObjectProperty<Path> openFolderProperty() {
        return openFolder;
    }

    /** True when there is nothing to show (the view shows its drop hint). */
    public BooleanBinding emptyProperty() {
        return Bindings.isEmpty(items);
    }

    /**
     * The output size: the largest short side of a cartoon ({@link CartoonOptions#ORIGINAL} for the photo's own
     * size; larger photos are shrunk to it, smaller ones stay).
     */
    public ReadOnlyIntegerProperty maxSideProperty() {
        return ReadOnlyIntegerProperty.readOnlyIntegerProperty(maxSide);
    }

    /**
     * Cartoonizes at another output size from now on, and makes the photos again at it.
     *
     * @param px the largest short side, at least 8, or {@link CartoonOptions#ORIGINAL}
     */
    public void useSize(int px) {
        if (px != CartoonOptions.ORIGINAL && px < 8) {
            throw new IllegalArgumentException("size must be at least 8 px, got " + px);
        }
        if (px != maxSide.get()) {
            maxSide.set(px);
            redoAll();
        }
    }

    /** The cartoon strength: 0 the photo, 1 the model as trained. */
    public ReadOnlyDoubleProperty strengthProperty() {
        return ReadOnlyDoubleProperty.readOnlyDoubleProperty(strength);
    }

    /**
     * Cartoonizes at another strength from now on: the photo on screen is made again now, the others when they
     * are shown or saved (their pixels are dropped, as for photos that no longer fit in memory).
     *
     * @param s the strength, 0 to {@link CartoonOptions#MAX_STRENGTH}
     */
    public void useStrength(double s) {
        double rounded = Math.round(s * 100) / 100.0;
        new CartoonOptions(CartoonOptions.ORIGINAL, rounded); // validates
        if (rounded == strength.get()) {
            return;
        }
        strength.set(rounded);
        PhotoItem current = selected.get();
        for (PhotoItem item : items) {
            if (item != current && item.getResult() != null) {
                kept.remove(item);
                item.evict();
            }
        }
        if (current != null && current.getStatus() == PhotoItem.Status.DONE) {
            redo(current);
        }
    }

    private CartoonOptions options() {
        return new CartoonOptions(maxSide.get(), strength.get());
    }

    /**
     * The name Save offers for the selected cartoon ({@code photo_cartoon.png}, the command line's rule).
     *
     * @return the name, or null when nothing is selected
     */
    public String suggestedName() {
        PhotoItem item = selected.get();
        return item == null ? null : io.github.facetoon.engine.data.CartoonNames.name(item.file(), strength.get(), "png",
                false);
    }

    /**
     * Saves the selected cartoon to the file the user chose (PNG, JPEG or WebP by its extension; Save asked before
     * replacing a file that exists).
     *
     * @param file the target
     */
    public void saveSelectedAs(Path file) {
        PhotoItem item = selected.get();
        if (item == null || item.getResult() == null) {
            return;
        }
        CartoonResult r = item.getResult();
        if (file.getParent() != null) {
            saveFolder.set(file.getParent());
        }
        background.execute(() -> {
            try {
                engine.saveImage(r.cartoon(), file, List.of(item.file()));
                ui.execute(() -> notifier.info(i18n.tr("cartoonize.savedOne", file.getFileName().toString())));
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> notifier.error(i18n.tr("cartoonize.error.save"), ErrorText.describe(e, i18n)));
            }
        });
    }

    /**
     * Exports the chosen model as an ONNX file for other programs, with the inference guided filter inside (so the
     * file gives the studio's look) and at the strength in use.
     *
     * @param file the .onnx file
     */
    public void exportOnnx(Path file) {
        ModelChoice choice = model.get();
        double s = strength.get();
        if (file.getParent() != null) {
            saveFolder.set(file.getParent());
        }
        background.execute(() -> {
            try {
                long bytes = engine.exportOnnx(choice, file, true, s);
                String mb = String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
                String st = String.format(java.util.Locale.ROOT, "%.2f", s);
                ui.execute(() -> notifier.info(i18n.tr("cartoonize.exportedOnnx", choice.label(),
                        file.getFileName().toString(), mb, st)));
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> notifier.error(i18n.tr("cartoonize.error.exportOnnx"), ErrorText.describe(e, i18n)));
            }
        });
    }

    /** True while the only photo is the sample of the first start (the view then invites people to drop theirs). */
    public ReadOnlyBooleanProperty showingSampleProperty() {
        return showingSample.getReadOnlyProperty();
    }

    /** True when the selected photo has a cartoon. */
    public ReadOnlyBooleanProperty selectedDoneProperty() {
        return selectedDone.getReadOnlyProperty();
    }

    /** True while a video is being cartoonized. */
    public ReadOnlyBooleanProperty videoRunningProperty() {
        return videoRunning.getReadOnlyProperty();
    }

    /** The running video's progress in [0,1]. */
    public ReadOnlyDoubleProperty videoProgressProperty() {
        return videoProgress.getReadOnlyProperty();
    }

    /** "frame 120 of 480 · 3.1 frames/s · 2 min 31 s left", or what the last video job came to. */
    public ReadOnlyStringProperty videoStatusProperty() {
        return videoStatus.getReadOnlyProperty();
    }

    /** The cartoon video made last (for "Open"), or null. */
    public javafx.beans.property.ReadOnlyObjectProperty<Path> lastVideoProperty() {
        return lastVideo.getReadOnlyProperty();
    }

    /**
     * Shows another frame of the selected video: its cartoon is made at once (the preview of the frame under the
     * scrubber); a frame asked for while another is being made replaces any still waiting.
     *
     * @param seconds the frame's time
     */
    public void showVideoFrame(double seconds) {
        PhotoItem item = selected.get();
        if (item == null || !item.isVideo()) {
            return;
        }
        var info = item.videoInfoProperty().get();
        double t = Math.max(0, info == null ? seconds : Math.min(seconds, info.durationSeconds()));
        if (t == item.videoSecondsProperty().get() && item.getStatus() != PhotoItem.Status.FAILED) {
            return;
        }
        item.setVideoSeconds(t);
        redo(item);
    }

    /**
     * The name "Cartoonize video" offers: {@code clip_cartoon.mp4}, the command line's rule, in the video's format.
     *
     * @return the name, or null when no video is selected
     */
    public String suggestedVideoName() {
        PhotoItem item = selected.get();
        if (item == null || !item.isVideo()) {
            return null;
        }
        String n = item.name();
        return io.github.facetoon.engine.data.CartoonNames.name(item.file(), strength.get(),
                n.substring(n.lastIndexOf('.') + 1), false);
    }

    /**
     * Cartoonizes the selected video into a file, in the background, with the model, size and strength in use; one
     * video at a time. Progress and the outcome go to {@link #videoStatusProperty()} and the notifier.
     *
     * @param target the file to write (not over an existing file, nor over the video)
     */
    public void cartoonizeVideo(Path target) {
        PhotoItem item = selected.get();
        if (item == null || !item.isVideo() || videoRunning.get()) {
            return;
        }
        Path video = item.file();
        ModelChoice choice = model.get();
        CartoonOptions options = options();
        if (target.getParent() != null) {
            saveFolder.set(target.getParent());
        }
        videoCancelled = false;
        videoRunning.set(true);
        videoProgress.set(0);
        lastVideo.set(null);
        videoStatus.set(i18n.tr("video.starting", item.name()));
        background.execute(() -> {
            long[] shown = {0};
            try {
                if (target.toAbsolutePath().normalize().equals(video.toAbsolutePath().normalize())) {
                    throw new IOException(i18n.tr("video.error.same"));
                }
                var r = engine.cartoonizeVideo(video, target, choice, options, p -> {
                    long now = System.nanoTime();
                    if (now - shown[0] < 100_000_000L && p.frames() < p.totalFrames()) {
                        return; // at most ten updates a second
                    }
                    shown[0] = now;
                    String text = i18n.tr("video.progress", p.frames(), p.totalFrames(),
                            String.format(java.util.Locale.ROOT, "%.2f", p.framesPerSecond()), eta(p.etaSeconds()));
                    double f = p.totalFrames() == 0 ? 0 : Math.min(1, p.frames() / (double) p.totalFrames());
                    ui.execute(() -> {
                        videoProgress.set(f);
                        videoStatus.set(text);
                    });
                }, () -> videoCancelled);
                ui.execute(() -> {
                    videoRunning.set(false);
                    if (r.cancelled()) {
                        videoStatus.set(i18n.tr("video.stopped", r.frames()));
                        notifier.info(i18n.tr("video.stopped", r.frames()));
                        return;
                    }
                    videoProgress.set(1);
                    lastVideo.set(r.output());
                    String done = i18n.tr("video.done", r.output().getFileName().toString(), r.frames(),
                            eta(r.wallSeconds())) + (r.note().isEmpty() ? "" : " (" + r.note() + ")");
                    videoStatus.set(done);
                    notifier.info(done);
                });
            } catch (Exception | OutOfMemoryError e) {
                String message = ErrorText.describe(e, i18n);
                ui.execute(() -> {
                    videoRunning.set(false);
                    videoStatus.set(message);
                    notifier.error(i18n.tr("video.error", video.getFileName().toString()), message);
                });
            }
        });
    }

    /** Stops the running video job after its current frame; nothing of it is kept. */
    public void cancelVideo() {
        videoCancelled = true;
    }

    private String eta(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "–";
        }
        long s = Math.round(seconds);
        return s >= 60 ? i18n.tr("video.minutes", s / 60, s % 60) : i18n.tr("video.seconds", s);
    }

    // ---- Commands ----

    /**
     * Adds photos and folders (folders are searched for images in the background); each is cartoonized in turn.
     *
     * @param paths dropped or chosen files and folders
     */
    public void add(List<Path> paths) {
        if (paths.isEmpty()) {
            return;
        }
        showingSample.set(false);
        background.execute(() -> {
            Path given = paths.get(0);
            Path folder = Files.isDirectory(given) ? given : given.toAbsolutePath().getParent();
            if (folder != null) {
                ui.execute(() -> openFolder.set(folder));
            }
            List<Path> files;
            try {
                files = ImageFiles.expand(paths);
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> notifier.error(i18n.tr("cartoonize.error.title"), ErrorText.describe(e, i18n)));
                return;
            }
            ui.execute(() -> {
                if (files.isEmpty()) {
                    notifier.error(i18n.tr("cartoonize.error.title"), i18n.tr("cartoonize.error.noImages"));
                    return;
                }
                List<PhotoItem> added = new ArrayList<>();
                PhotoItem first = null;
                for (Path f : files) {
                    // A photo already in the list is selected again, not cartoonized twice.
                    PhotoItem existing = items.stream().filter(i -> i.file().equals(f)).findFirst().orElse(null);
                    PhotoItem item = existing != null ? existing : new PhotoItem(f);
                    if (existing == null && added.stream().noneMatch(i -> i.file().equals(f))) {
                        added.add(item);
                    }
                    if (first == null) {
                        first = item;
                    }
                }
                items.addAll(added);
                selected.set(first);
                enqueue(added);
            });
        });
    }

    /**
     * Shows a sample photo (first start): cartoonized like any other, with the invitation to drop one's own.
     *
     * @param photo the sample
     */
    public void showSample(Path photo) {
        add(List.of(photo));
        showingSample.set(true);
    }

    /**
     * Adds the first sample photo of a folder, if there is one (first start).
     *
     * @param samples the samples folder
     */
    public void addSample(Path samples) {
        background.execute(() -> {
            try {
                if (Files.isDirectory(samples)) {
                    List<Path> found = ImageFiles.imagesIn(samples);
                    if (!found.isEmpty()) {
                        ui.execute(() -> showSample(found.get(0)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No sample is fine: the drop hint shows instead.
            }
        });
    }

    /** Cartoonizes every photo again with the chosen model. */
    public void redoAll() {
        List<PhotoItem> all = new ArrayList<>(items);
        PhotoItem current = selected.get();
        if (current != null && all.remove(current)) {
            all.add(0, current); // the photo on screen first
        }
        queue.clear();
        // A new batch: a photo still being made at the old settings is made again and counted once.
        newBatch();
        enqueue(all);
    }

    /**
     * Removes a photo from the list.
     *
     * @param item the photo
     */
    public void remove(PhotoItem item) {
        int index = items.indexOf(item);
        kept.remove(item);
        queue.removeIf(j -> j.item() == item);
        items.remove(item);
        if (selected.get() == item) {
            selected.set(items.isEmpty() ? null : items.get(Math.min(index, items.size() - 1)));
        }
    }

    /** Removes all photos. */
    public void clear() {
        queue.clear();
        kept.clear();
        items.clear();
        selected.set(null);
    }

    /**
     * Sets the checkpoints offered as models.
     *
     * @param checkpoints the workspace's checkpoints
     */
    public void setCheckpoints(List<CheckpointInfo> checkpoints) {
        List<ModelChoice> next = new ArrayList<>(List.of(new ModelChoice.Bundled(), new ModelChoice.Classic()));
        for (CheckpointInfo c : checkpoints) {
            next.add(new ModelChoice.Checkpoint(c.path()));
        }
        ModelChoice current = model.get();
        if (current instanceof ModelChoice.Checkpoint && !next.contains(current)) {
            next.add(current);
        }
        models.setAll(next);
    }

    /**
     * Chooses a model file ("Checkpoint file…"): it is loaded first, and refused with the reason when it is not a
     * usable model; the current model stays then.
     *
     * @param file the chosen file
     */
    public void useModelFile(Path file) {
        ModelChoice choice = new ModelChoice.Checkpoint(file);
        background.execute(() -> {
            try {
                engine.loadModel(choice);
                ui.execute(() -> useModel(choice));
            } catch (Exception | OutOfMemoryError e) {
                String message = ErrorText.describe(e, i18n);
                ui.execute(() -> notifier.error(i18n.tr("cartoonize.error.model", file.getFileName().toString()), message));
            }
        });
    }

    /**
     * Chooses a model and cartoonizes the photos again with it.
     *
     * @param choice the model
     */
    public void useModel(ModelChoice choice) {
        if (!models.contains(choice)) {
            models.add(choice);
        }
        if (!Objects.equals(model.get(), choice)) {
            model.set(choice);
            redoAll();
        }
    }

    /**
     * Saves the selected cartoon as PNG into a folder (never over an existing file).
     *
     * @param folder the folder
     */
    public void saveSelected(Path folder) {
        PhotoItem item = selected.get();
        if (item != null && item.getResult() != null) {
            save(List.of(item), folder);
        }
    }

    /**
     * Saves every finished cartoon as PNG into a folder.
     *
     * @param folder the folder
     */
    public void saveAll(Path folder) {
        save(items.stream().filter(i -> i.getStatus() == PhotoItem.Status.DONE).toList(), folder);
    }

    private void save(List<PhotoItem> done, Path folder) {
        if (done.isEmpty()) {
            return;
        }
        saveFolder.set(folder);
        // Read on the UI thread: the results still in memory; the others are made again in the background.
        List<CartoonResult> inMemory = done.stream().map(PhotoItem::getResult).toList();
        ModelChoice current = model.get();
        CartoonOptions options = options();
        background.execute(() -> {
            int saved = 0;
            try {
                Files.createDirectories(folder);
                // The command line's naming rule: photo_cartoon.png; photos of the same name get their type too.
                var withType = io.github.facetoon.engine.data.CartoonNames.typeNeeded(
                        done.stream().map(PhotoItem::file).toList());
                for (int i = 0; i < done.size(); i++) {
                    PhotoItem item = done.get(i);
                    CartoonResult r = inMemory.get(i) != null ? inMemory.get(i)
                            : engine.cartoonize(item.file(), current, options);
                    Path target = io.github.facetoon.engine.data.CartoonNames.free(folder, item.file(), r.strength(),
                            "png", withType.get(item.file()));
                    engine.saveImage(r.cartoon(), target, List.of(item.file()));
                    saved++;
                }
                int n = saved;
                ui.execute(() -> notifier.info(i18n.tr("cartoonize.saved", n, folder)));
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> notifier.error(i18n.tr("cartoonize.error.save"), ErrorText.describe(e, i18n)));
            }
        });
    }

    private void enqueue(List<PhotoItem> added) {
        if (added.isEmpty()) {
            return;
        }
        if (queue.isEmpty() && !working.get()) {
            newBatch();
        }
        for (PhotoItem item : added) {
            item.markQueued();
            queue.add(new Job(item, model.get(), batch));
        }
        batchTotal += added.size();
        updateBatch();
        if (!working.get()) {
            next();
        }
    }

    private void next() {
        Job job = queue.poll();
        if (job == null) {
            working.set(false);
            updateBatch();
            return;
        }
        working.set(true);
        job.item().markWorking();
        CartoonOptions options = options();
        double seconds = job.item().videoSecondsProperty().get();
        boolean needInfo = job.item().isVideo() && job.item().videoInfoProperty().get() == null;
        background.execute(() -> {
            try {
                CartoonResult result;
                if (job.item().isVideo()) {
                    if (needInfo) {
                        io.github.facetoon.engine.video.VideoInfo info = engine.probeVideo(job.item().file());
                        ui.execute(() -> job.item().setVideoInfo(info));
                    }
                    result = engine.cartoonizeVideoFrame(job.item().file(), seconds, job.model(), options);
                } else {
                    result = engine.cartoonize(job.item().file(), job.model(), options);
                }
                ui.execute(() -> {
                    if (!madeAgain(job)) {
                        job.item().complete(result);
                        remember(job.item());
                        if (result.strength() != strength.get() && job.item() != selected.get()) {
                            kept.remove(job.item());
                            job.item().evict(); // made at a strength changed meanwhile: made again when shown
                        }
                    }
                    done(job);
                });
            } catch (Exception | OutOfMemoryError e) {
                String message = ErrorText.describe(e, i18n);
                ui.execute(() -> {
                    job.item().fail(message);
                    // Once per file and reason: a model or size change makes the same file fail the same way again.
                    if (reportedFailures.add(job.item().file() + "\n" + message)) {
                        notifier.error(i18n.tr("cartoonize.error.photo", job.item().name()), message);
                    }
                    done(job);
                });
            }
        });
    }

    private void done(Job job) {
        if (job.batch() == batch) {
            batchDone++;
        }
        updateBatch();
        next();
    }

    /** True when the settings changed while the job ran and its photo waits to be made again. */
    private boolean madeAgain(Job job) {
        return job.batch() != batch && queue.stream().anyMatch(j -> j.item() == job.item());
    }

    private void newBatch() {
        batch++;
        batchTotal = 0;
        batchDone = 0;
    }

    private void updateBatch() {
        batchProgress.set(batchTotal == 0 ? 0 : batchDone / (double) batchTotal);
        batchText.set(batchTotal == 0 ? "" : i18n.tr("cartoonize.batch", batchDone, batchTotal));
    }
}
