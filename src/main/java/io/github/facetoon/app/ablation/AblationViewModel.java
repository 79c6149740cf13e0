package io.github.facetoon.app.ablation;

import io.github.facetoon.app.common.Coalescer;
import io.github.facetoon.app.common.ErrorText;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.ImageFiles;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.TestReport;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingRun;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State and commands of the ablation board: weight sets that each fine-tune from the same checkpoint for a few
 * steps, one after another, then get tested on the same photos. Holds no controls.
 */
public final class AblationViewModel {

    /** Test photos shown per column at most. */
    public static final int MAX_TEST_PHOTOS = 6;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMdd-HHmmss", Locale.ROOT);

    private final StudioEngine engine;
    private final Executor background;
    private final Executor ui;
    private final Notifier notifier;
    private final I18n i18n;
    private final Path workspace;

    private final ObservableList<WeightSet> sets = FXCollections.observableArrayList();
    private final ObjectProperty<Path> baseCheckpoint = new SimpleObjectProperty<>(this, "baseCheckpoint");
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 300);
    private final IntegerProperty imageSize = new SimpleIntegerProperty(this, "imageSize", 128);
    private final IntegerProperty batchSize = new SimpleIntegerProperty(this, "batchSize", 8);
    private final javafx.beans.property.DoubleProperty learningRate = new javafx.beans.property.SimpleDoubleProperty(
            this, "learningRate", TrainingConfig.DEFAULT_LEARNING_RATE);
    private final ObjectProperty<Path> photos = new SimpleObjectProperty<>(this, "photos");
    private final ObjectProperty<Path> cartoons = new SimpleObjectProperty<>(this, "cartoons");
    private final ObjectProperty<Path> testPhotos = new SimpleObjectProperty<>(this, "testPhotos");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ObservableList<String> photoNames = FXCollections.observableArrayList();
    private final javafx.beans.property.BooleanProperty otherRunActive =
            new javafx.beans.property.SimpleBooleanProperty(this, "otherRunActive");

    private volatile TrainingRun run;
    private boolean cancelled;
    private List<Path> testList = List.of();

    /**
     * Creates the model.
     *
     * @param engine the engine
     * @param background runs engine calls
     * @param ui runs property changes
     * @param notifier receives messages for the user
     * @param i18n the texts
     * @param workspace the workspace the fine-tuning runs go to
     */
    public AblationViewModel(StudioEngine engine, Executor background, Executor ui, Notifier notifier, I18n i18n,
                             Path workspace) {
        this.engine = engine;
        this.background = background;
        this.ui = ui;
        this.notifier = notifier;
        this.i18n = i18n;
        this.workspace = workspace;
    }

    // ---- Properties ----

    /** The weight sets, in queue order (the grid's columns). */
    public ObservableList<WeightSet> sets() {
        return sets;
    }

    /** The checkpoint every set fine-tunes from. */
    public ObjectProperty<Path> baseCheckpointProperty() {
        return baseCheckpoint;
    }

    /** Fine-tuning steps per set. */
    public IntegerProperty stepsProperty() {
        return steps;
    }

    /** Image size for fine-tuning and testing. */
    public IntegerProperty imageSizeProperty() {
        return imageSize;
    }

    /** The learning rate of every set's fine-tuning. @return the property */
    public javafx.beans.property.DoubleProperty learningRateProperty() {
        return learningRate;
    }

    /** Batch size for fine-tuning. */
    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    /** Training photos (the Train view's folder). */
    public ObjectProperty<Path> photosProperty() {
        return photos;
    }

    /** Training cartoons (the Train view's folder). */
    public ObjectProperty<Path> cartoonsProperty() {
        return cartoons;
    }

    /** Folder of test photos (the grid's rows); when empty, the first training photos are used. */
    public ObjectProperty<Path> testPhotosProperty() {
        return testPhotos;
    }

    /** True while the queue runs. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** True while the Train view trains: the engine runs one training at a time. */
    public javafx.beans.property.BooleanProperty otherRunActiveProperty() {
        return otherRunActive;
    }

    /** The test photos' names (the grid's rows), known once the queue starts. */
    public ObservableList<String> photoNames() {
        return photoNames;
    }

    // ---- Commands ----

    /**
     * Adds a weight set to the queue.
     *
     * @param name its name
     * @param weights its weights
     * @return the set
     */
    public WeightSet add(String name, LossWeights weights) {
        WeightSet set = new WeightSet(name, weights);
        sets.add(set);
        return set;
    }

    /**
     * Adds the usual comparison around some weights: as they are, no landmark, more texture, more structure.
     *
     * @param base the weights to vary
     */
    public void addStandardSets(LossWeights base) {
        add(i18n.tr("ablation.set.baseline"), base);
        add(i18n.tr("ablation.set.noLandmark"), base.with(LossTerm.LANDMARK, 0));
        add(i18n.tr("ablation.set.moreTexture"), base.with(LossTerm.TEXTURE, base.texture() * 4));
        add(i18n.tr("ablation.set.moreStructure"), base.with(LossTerm.STRUCTURE, base.structure() * 4));
    }

    /**
     * Removes a set that is not running.
     *
     * @param set the set
     */
    public void remove(WeightSet set) {
        if (set.getStatus() != WeightSet.Status.TRAINING && set.getStatus() != WeightSet.Status.TESTING) {
            sets.remove(set);
        }
    }

    /**
     * Picks the newest checkpoint as the base when none is chosen.
     *
     * @param checkpoints the workspace's checkpoints, newest first
     */
    public void offerCheckpoints(List<CheckpointInfo> checkpoints) {
        if (baseCheckpoint.get() == null && !checkpoints.isEmpty()) {
            // The newest that learned something: an iteration-0 checkpoint of a run from scratch is random weights.
            baseCheckpoint.set(checkpoints.stream().filter(c -> c.iteration() > 0).findFirst()
                    .orElse(checkpoints.get(0)).path());
        }
    }

    /** Runs every set that is not done, one after another. */
    public void runAll() {
        if (running.get()) {
            return;
        }
        if (baseCheckpoint.get() == null) {
            notifier.error(i18n.tr("ablation.error.title"), i18n.tr("ablation.error.noBase"));
            return;
        }
        if (photos.get() == null || cartoons.get() == null) {
            notifier.error(i18n.tr("ablation.error.title"), i18n.tr("ablation.error.noData"));
            return;
        }
        if (sets.stream().allMatch(s -> s.getStatus() == WeightSet.Status.DONE)) {
            sets.forEach(WeightSet::reset);
        }
        sets.stream().filter(s -> s.getStatus() == WeightSet.Status.FAILED).forEach(WeightSet::reset);
        cancelled = false;
        running.set(true);
        Path testFolder = testPhotos.get() != null ? testPhotos.get() : photos.get();
        background.execute(() -> {
            List<Path> list;
            try {
                list = ImageFiles.imagesIn(testFolder).stream().limit(MAX_TEST_PHOTOS).toList();
            } catch (Exception e) {
                list = List.of();
            }
            List<Path> found = list;
            ui.execute(() -> {
                if (found.isEmpty()) {
                    running.set(false);
                    notifier.error(i18n.tr("ablation.error.title"), i18n.tr("ablation.error.noTestPhotos", testFolder));
                    return;
                }
                testList = found;
                photoNames.setAll(found.stream().map(p -> p.getFileName().toString()).toList());
                runNext();
            });
        });
    }

    /**
     * Writes the board's picture as an image file (PNG, JPEG or WebP by its extension), in the background.
     *
     * @param grid the board's pixels
     * @param file the target
     * @return completes when written
     */
    public java.util.concurrent.CompletableFuture<Path> exportImage(io.github.facetoon.engine.vision.PixelImage grid,
            Path file) {
        // The engine's writer: the file appears whole or not at all.
        return io.github.facetoon.app.common.UiTask.run(background, ui, () -> {
            engine.saveImage(grid, file, List.of());
            return file;
        }, written -> notifier.info(i18n.tr("ablation.exported", written)),
                e -> notifier.error(i18n.tr("ablation.export"), ErrorText.describe(e, i18n)));
    }

    /** Stops the set that is training; the others stay queued. */
    public void cancel() {
        cancelled = true;
        TrainingRun r = run;
        if (r != null) {
            r.cancel();
        }
    }

    private void runNext() {
        WeightSet next = cancelled ? null : sets.stream()
                .filter(s -> s.getStatus() == WeightSet.Status.QUEUED).findFirst().orElse(null);
        if (next == null) {
            running.set(false);
            run = null;
            if (!cancelled) {
                notifier.info(i18n.tr("ablation.done"));
            }
            return;
        }
        TrainingConfig config;
        try {
            config = TrainingConfig.builder(Phase.TRAIN, photos.get(), cartoons.get(), workspace)
                    .init(baseCheckpoint.get())
                    .totalIter(steps.get())
                    .saveEvery(steps.get())
                    .imageSize(imageSize.get())
                    .batchSize(batchSize.get())
                    .learningRate(learningRate.get())
                    .modelVersion(versionName(next.getName(), sets.indexOf(next) + 1))
                    .weights(next.getWeights())
                    .build();
        } catch (IllegalArgumentException e) {
            next.setStatus(WeightSet.Status.FAILED, e.getMessage());
            runNext();
            return;
        }
        next.setStatus(WeightSet.Status.TRAINING, i18n.tr("ablation.status.training"));
        next.setProgress(0);
        Coalescer<TrainingEvent.StepCompleted> progress = new Coalescer<>(ui,
                s -> next.setProgress(s.totalIter() == 0 ? 0 : s.iteration() / (double) s.totalIter()));
        background.execute(() -> {
            try {
                TrainingRun started = engine.startTraining(config, e -> {
                    if (e instanceof TrainingEvent.StepCompleted s) {
                        progress.offer(s);
                    }
                });
                started.setPreviewsEnabled(false);
                run = started;
                started.completion().whenComplete((last, error) -> background.execute(
                        () -> afterTraining(next, config, last, error)));
            } catch (RuntimeException e) {
                String message = ErrorText.describe(e, i18n);
                ui.execute(() -> failed(next, message));
            }
        });
    }

    private void afterTraining(WeightSet set, TrainingConfig config, TrainingEvent last, Throwable error) {
        run = null;
        if (error != null || last instanceof TrainingEvent.RunFailed) {
            String message = error != null ? ErrorText.describe(error, i18n) : ((TrainingEvent.RunFailed) last).message();
            ui.execute(() -> failed(set, message));
            return;
        }
        TrainingEvent.RunFinished finished = (TrainingEvent.RunFinished) last;
        if (finished.cancelled()) {
            ui.execute(() -> {
                set.reset();
                set.setStatus(WeightSet.Status.QUEUED, i18n.tr("ablation.status.stopped"));
                runNext();
            });
            return;
        }
        ui.execute(() -> {
            set.setProgress(1);
            set.setStatus(WeightSet.Status.TESTING, i18n.tr("ablation.status.testing"));
        });
        try {
            Path checkpoint = finished.lastCheckpoint();
            if (checkpoint == null) {
                checkpoint = engine.checkpoints().stream()
                        .filter(c -> c.modelVersion().equals(config.modelVersion()))
                        .max(Comparator.comparingInt(CheckpointInfo::iteration))
                        .map(CheckpointInfo::path)
                        .orElseThrow(() -> new IllegalStateException(i18n.tr("ablation.error.noCheckpoint")));
            }
            TestReport report = engine.test(new ModelChoice.Checkpoint(checkpoint), testList, config.imageSize());
            ui.execute(() -> {
                set.setReport(report);
                set.setStatus(WeightSet.Status.DONE, i18n.tr("ablation.status.done"));
                runNext();
            });
        } catch (Exception | OutOfMemoryError e) {
            String message = ErrorText.describe(e, i18n);
            ui.execute(() -> failed(set, message));
        }
    }

    private void failed(WeightSet set, String message) {
        set.setStatus(WeightSet.Status.FAILED, message);
        notifier.error(i18n.tr("ablation.error.set", set.getName()), message);
        runNext();
    }

    private static String versionName(String name, int index) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.isEmpty()) {
            slug = "set";
        }
        if (slug.length() > 30) {
            slug = slug.substring(0, 30);
        }
        return "ablation-" + index + "-" + slug + "-" + LocalDateTime.now().format(STAMP);
    }
}
