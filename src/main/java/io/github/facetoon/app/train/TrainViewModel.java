package io.github.facetoon.app.train;

import io.github.facetoon.app.common.Coalescer;
import io.github.facetoon.app.common.ErrorText;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.DeviceInfo;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.train.RunExistsException;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State and commands of the Train view: data folders, settings, live loss weights, the run's progress,
 * previews, loss history and checkpoints. Holds no controls; engine calls run on the background executor and
 * property changes on the UI executor.
 */
public final class TrainViewModel {

    /** Where the generator starts from. */
    public enum InitKind { SCRATCH, BUNDLED, FILE }

    /** The run's life cycle as the view shows it. */
    public enum RunState { IDLE, STARTING, RUNNING, PAUSED, STOPPING }

    /** Image sizes offered (multiples of 8). */
    public static final List<Integer> IMAGE_SIZES = List.of(64, 96, 128, 192, 256, 384, 512);

    private final StudioEngine engine;
    private final Executor background;
    private final Executor ui;
    private final Notifier notifier;
    private final I18n i18n;
    private final Path workspace;

    private final DatasetViewModel photos;
    private final DatasetViewModel cartoons;
    private final RunsViewModel runs;

    // ---- Settings ----
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(this, "phase", Phase.TRAIN);
    private final IntegerProperty imageSize = new SimpleIntegerProperty(this, "imageSize",
            TrainingConfig.DEFAULT_IMAGE_SIZE);
    private final IntegerProperty batchSize = new SimpleIntegerProperty(this, "batchSize",
            TrainingConfig.SMALL_BATCH_SIZE);
    private final IntegerProperty iterations = new SimpleIntegerProperty(this, "iterations", 3_000);
    /** The learning rate: of the next run, and while one runs the rate it uses (setting it changes the run's). */
    private final DoubleProperty learningRate = new SimpleDoubleProperty(this, "learningRate",
            TrainingConfig.DEFAULT_LEARNING_RATE);
    /** True while the engine's own values are copied into the settings (they are not sent back). */
    private boolean syncingFromEngine;
    /** Iterations a roll-back went back to, for the charts' marks. */
    private final ObservableList<Integer> rollbacks = FXCollections.observableArrayList();
    /** The measured cost of the run the settings describe ("≈ 1.6 s per step · …"), empty until measured. */
    private final ReadOnlyStringWrapper estimateText = new ReadOnlyStringWrapper(this, "estimateText", "");
    private final javafx.beans.property.ReadOnlyBooleanWrapper estimating =
            new javafx.beans.property.ReadOnlyBooleanWrapper(this, "estimating");
    /** The last measurement, while the settings it was made for hold. */
    private io.github.facetoon.engine.train.TrainingEstimate lastEstimate;
    /** How many of a run's newest checkpoints are kept. */
    private final IntegerProperty keepLast = new SimpleIntegerProperty(this, "keepLast", TrainingConfig.DEFAULT_KEEP_LAST);
    /** Threads the engine uses; 0: one per core. */
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads", 0);
    private final IntegerProperty saveEvery = new SimpleIntegerProperty(this, "saveEvery",
            TrainingConfig.DEFAULT_SAVE_EVERY);
    private final StringProperty modelVersion = new SimpleStringProperty(this, "modelVersion", "1");
    private final ObjectProperty<InitKind> initKind = new SimpleObjectProperty<>(this, "initKind", InitKind.SCRATCH);
    private final ObjectProperty<Path> initFile = new SimpleObjectProperty<>(this, "initFile");
    private final ObjectProperty<Path> bundledPretrained = new SimpleObjectProperty<>(this, "bundledPretrained");
    private final ReadOnlyStringWrapper deviceText = new ReadOnlyStringWrapper(this, "deviceText", "…");
    private final ReadOnlyObjectWrapper<DeviceInfo> device = new ReadOnlyObjectWrapper<>(this, "device");
    private final BooleanProperty previewsEnabled = new SimpleBooleanProperty(this, "previewsEnabled", true);
    private final BooleanProperty otherRunActive = new SimpleBooleanProperty(this, "otherRunActive");

    // ---- Weights ----
    private final Map<LossTerm, DoubleProperty> weights = new EnumMap<>(LossTerm.class);
    private boolean applyingPreset;

    // ---- Run ----
    private volatile TrainingRun run;
    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(this, "state", RunState.IDLE);
    private final ReadOnlyObjectWrapper<Phase> runPhase = new ReadOnlyObjectWrapper<>(this, "runPhase");
    private final ReadOnlyIntegerWrapper iteration = new ReadOnlyIntegerWrapper(this, "iteration");
    private final ReadOnlyIntegerWrapper totalIter = new ReadOnlyIntegerWrapper(this, "totalIter");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyObjectWrapper<TrainingEvent.PreviewReady> preview =
            new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyIntegerWrapper previewsShown = new ReadOnlyIntegerWrapper(this, "previewsShown");
    private final LossHistory history = new LossHistory();
    private final ReadOnlyIntegerWrapper historyVersion = new ReadOnlyIntegerWrapper(this, "historyVersion");
    private final ObservableList<Integer> weightChanges = FXCollections.observableArrayList();
    private final ObservableList<String> runLog = FXCollections.observableArrayList();
    private final ObservableList<CheckpointInfo> checkpoints = FXCollections.observableArrayList();
    private final ConcurrentLinkedQueue<TrainingEvent.StepCompleted> pendingSteps = new ConcurrentLinkedQueue<>();
    private final Coalescer<TrainingEvent.StepCompleted> steps;
    private final Coalescer<TrainingEvent.PreviewReady> previews;

    private final BooleanBinding busy;
    /** A start refused because its run name already has checkpoints; the view asks what to do. */
    private final ReadOnlyObjectWrapper<RunConflict> runConflict = new ReadOnlyObjectWrapper<>(this, "runConflict");

    /**
     * A start that would have written into a run that already has checkpoints; nothing was written.
     *
     * @param name the run's name
     * @param newestIteration the iteration of its newest checkpoint
     * @param freeName a free name for a new run
     * @param config the run that was refused
     */
    public record RunConflict(String name, int newestIteration, String freeName, TrainingConfig config) {}

    /** What to do about a {@link RunConflict}. */
    public enum ConflictChoice {
        /** Continue the existing run from its newest checkpoint. */
        RESUME,
        /** Start the new run under the free name. */
        NEW_NAME,
        /** Move the existing run to the trash (from where it can be restored), then start the new run under its name. */
        REPLACE,
        /** Do nothing. */
        CANCEL
    }

    /**
     * Creates the model.
     *
     * @param engine the engine
     * @param background runs engine calls and file scans
     * @param ui runs property changes (the event pump in the app, {@code Runnable::run} in tests)
     * @param notifier receives messages for the user
     * @param i18n the texts
     * @param workspace the workspace folder the runs go to
     */
    public TrainViewModel(StudioEngine engine, Executor background, Executor ui, Notifier notifier, I18n i18n,
                          Path workspace) {
        this.engine = engine;
        this.background = background;
        this.ui = ui;
        this.notifier = notifier;
        this.i18n = i18n;
        this.workspace = workspace;
        this.photos = new DatasetViewModel(background, ui);
        this.cartoons = new DatasetViewModel(background, ui);
        this.runs = new RunsViewModel(engine, background, ui, notifier, i18n, this::refreshCheckpoints);
        this.steps = new Coalescer<>(ui, this::applySteps);
        this.previews = new Coalescer<>(ui, this::applyPreview);
        LossWeights defaults = LossWeights.defaults();
        for (LossTerm t : LossTerm.values()) {
            DoubleProperty p = new SimpleDoubleProperty(this, t.textKey(), defaults.get(t));
            p.addListener((obs, old, now) -> onWeightEdited(t, now.doubleValue()));
            weights.put(t, p);
        }
        learningRate.addListener((obs, old, now) -> {
            TrainingRun r = run;
            if (r != null && !syncingFromEngine && now.doubleValue() > 0) {
                r.setLearningRate(now.doubleValue());
            }
        });
        // A measured estimate holds for its phase, size, batch and threads; the number of iterations only rescales it.
        javafx.beans.InvalidationListener stale = obs -> {
            lastEstimate = null;
            if (!estimating.get()) {
                estimateText.set("");
            }
        };
        for (javafx.beans.Observable o : new javafx.beans.Observable[] {phase, imageSize, batchSize, threads}) {
            o.addListener(stale);
        }
        iterations.addListener(obs -> showEstimate());
        // Process-wide; a running training uses the new count from its next step.
        threads.addListener((obs, old, now) -> engine.setThreads(Math.max(0, now.intValue())));
        runLog.addListener(this::keepLogLines);
        // A newcomer's run starts from the bundled model once the studio has it as a file, not from random weights.
        bundledPretrained.addListener((obs, old, now) -> {
            if (old == null && now != null && initKind.get() == InitKind.SCRATCH) {
                initKind.set(InitKind.BUNDLED);
            }
        });
        previewsEnabled.addListener((obs, old, now) -> {
            TrainingRun r = run;
            if (r != null) {
                r.setPreviewsEnabled(now);
            }
        });
        busy = state.isNotEqualTo(RunState.IDLE);
    }

    // ---- Properties ----

    /** The photo folder. */
    public DatasetViewModel photos() {
        return photos;
    }

    /** The cartoon folder. */
    public DatasetViewModel cartoons() {
        return cartoons;
    }

    /** Pretrain or train. */
    public ObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    /** Training crop size in pixels. */
    public IntegerProperty imageSizeProperty() {
        return imageSize;
    }

    /** Images per step. */
    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    /** The iteration at which the run stops. */
    public IntegerProperty iterationsProperty() {
        return iterations;
    }

    /** Iterations between checkpoints. */
    public IntegerProperty saveEveryProperty() {
        return saveEvery;
    }

    /** The run's name in the workspace. */
    public StringProperty modelVersionProperty() {
        return modelVersion;
    }

    /** Where the generator starts from. */
    public ObjectProperty<InitKind> initKindProperty() {
        return initKind;
    }

    /** The chosen pretrained checkpoint when {@link InitKind#FILE}. */
    public ObjectProperty<Path> initFileProperty() {
        return initFile;
    }

    /** The bundled pretrained checkpoint, or null when the installation has none. */
    public ObjectProperty<Path> bundledPretrainedProperty() {
        return bundledPretrained;
    }

    /** The device, as text for the settings. */
    public ReadOnlyStringProperty deviceTextProperty() {
        return deviceText.getReadOnlyProperty();
    }

    /** The device, once known. */
    public ReadOnlyObjectProperty<DeviceInfo> deviceProperty() {
        return device.getReadOnlyProperty();
    }

    /** Whether the run sends preview images. */
    public BooleanProperty previewsEnabledProperty() {
        return previewsEnabled;
    }

    /**
     * One loss weight; changing it during a run changes the run from its next step.
     *
     * @param term the term
     * @return the property
     */
    public DoubleProperty weightProperty(LossTerm term) {
        return weights.get(term);
    }

    /** The weights as edited now. */
    public LossWeights getWeights() {
        LossWeights w = LossWeights.defaults();
        for (LossTerm t : LossTerm.values()) {
            w = w.with(t, weights.get(t).get());
        }
        return w;
    }

    /** The run's state. */
    public ReadOnlyObjectProperty<RunState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The phase of the running run, or null. */
    public ReadOnlyObjectProperty<Phase> runPhaseProperty() {
        return runPhase.getReadOnlyProperty();
    }

    /** True while a run starts, runs, pauses or stops. */
    public BooleanBinding busyProperty() {
        return busy;
    }

    /** The last completed iteration. */
    public ReadOnlyIntegerProperty iterationProperty() {
        return iteration.getReadOnlyProperty();
    }

    /** The iteration the run stops at. */
    public ReadOnlyIntegerProperty totalIterProperty() {
        return totalIter.getReadOnlyProperty();
    }

    /** Progress in [0,1], or -1 while starting. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "iteration 1,200 / 100,000 · 3.4 it/s · ETA 8:10:00". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** The newest preview images. */
    public ReadOnlyObjectProperty<TrainingEvent.PreviewReady> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** How many previews reached the view (each one replaces the last). */
    public ReadOnlyIntegerProperty previewsShownProperty() {
        return previewsShown.getReadOnlyProperty();
    }

    /** The run's losses; read it when {@link #historyVersionProperty()} changes. */
    public LossHistory history() {
        return history;
    }

    /** Incremented whenever the loss history grew. */
    public ReadOnlyIntegerProperty historyVersionProperty() {
        return historyVersion.getReadOnlyProperty();
    }

    /** The iterations at which the weights changed during the run (marked on the charts). */
    public ObservableList<Integer> weightChanges() {
        return weightChanges;
    }

    /** Notices and problems of the run, newest last. */
    public ObservableList<String> runLog() {
        return runLog;
    }

    /** The checkpoints in the workspace, newest first. */
    public ObservableList<CheckpointInfo> checkpoints() {
        return checkpoints;
    }

    /** The active run, or null (for tests and the ablation board's exclusivity check). */
    public TrainingRun activeRun() {
        return run;
    }

    // ---- Commands ----

    /** Reads the device and the checkpoint list in the background. */
    public void load() {
        background.execute(() -> {
            try {
                DeviceInfo info = engine.deviceInfo();
                ui.execute(() -> {
                    device.set(info);
                    deviceText.set(i18n.tr(info.offline() ? "train.device.offline" : "train.device.online",
                            info.description(), info.engine()));
                });
            } catch (RuntimeException e) {
                ui.execute(() -> deviceText.set(i18n.tr("train.device.unknown", ErrorText.describe(e, i18n))));
            }
        });
        refreshCheckpoints();
    }

    /**
     * Replaces all six weights (a preset); a running run gets them in one change.
     *
     * @param preset the weights
     */
    public void applyPreset(LossWeights preset) {
        applyingPreset = true;
        try {
            weights.forEach((t, p) -> p.set(preset.get(t)));
        } finally {
            applyingPreset = false;
        }
        TrainingRun r = run;
        if (r != null) {
            r.weights().set(preset);
        }
    }

    /** Builds the configuration from the settings. @return the configuration @throws IllegalArgumentException when a setting is invalid */
    public TrainingConfig buildConfig() {
        Phase p = phase.get();
        Path photoDir = photos.getFolder();
        Path cartoonDir = cartoons.getFolder();
        if (photoDir == null) {
            throw new IllegalArgumentException(i18n.tr("train.error.noPhotos"));
        }
        if (p == Phase.TRAIN && cartoonDir == null) {
            throw new IllegalArgumentException(i18n.tr("train.error.noCartoons"));
        }
        Path init = null;
        if (initKind.get() == InitKind.BUNDLED) {
            init = bundledPretrained.get();
        } else if (initKind.get() == InitKind.FILE) {
            init = initFile.get();
            if (init == null) {
                throw new IllegalArgumentException(i18n.tr("train.error.noInit"));
            }
        }
        String device = "auto";
        return TrainingConfig.builder(p, photoDir, cartoonDir, workspace)
                .totalIter(iterations.get())
                .batchSize(batchSize.get())
                .imageSize(imageSize.get())
                .saveEvery(saveEvery.get())
                .modelVersion(modelVersion.get() == null ? "" : modelVersion.get().trim())
                .init(init)
                .learningRate(learningRate.get())
                .keepLast(Math.max(1, keepLast.get()))
                .weights(getWeights())
                .device(device)
                .build();
    }

    /** Starts a run with the current settings. */
    public void start() {
        TrainingConfig config;
        try {
            config = buildConfig();
        } catch (IllegalArgumentException e) {
            notifier.error(i18n.tr("train.error.cannotStart"), e.getMessage());
            return;
        }
        startRun(config);
    }

    /**
     * Continues a checkpoint's run where it stopped, with its phase, size and weights.
     *
     * @param checkpoint the checkpoint
     */
    public void resumeFrom(CheckpointInfo checkpoint) {
        phase.set(checkpoint.phase());
        modelVersion.set(checkpoint.modelVersion());
        if (IMAGE_SIZES.contains(checkpoint.imageSize())) {
            imageSize.set(checkpoint.imageSize());
        }
        if (checkpoint.weights() != null) {
            applyPreset(checkpoint.weights());
        }
        if (iterations.get() <= checkpoint.iteration()) {
            iterations.set(checkpoint.iteration() + Math.max(saveEvery.get(), 1000));
        }
        TrainingConfig config;
        try {
            config = buildConfig().toBuilder().resume(true).build();
        } catch (IllegalArgumentException e) {
            notifier.error(i18n.tr("train.error.cannotStart"), e.getMessage());
            return;
        }
        startRun(config);
    }

    /**
     * Makes a checkpoint the start of the next run (typically a pretrained one before training); the run starts
     * when the user presses Start.
     *
     * @param checkpoint the checkpoint
     */
    public void startFrom(CheckpointInfo checkpoint) {
        initFile.set(checkpoint.path());
        initKind.set(InitKind.SCRATCH);
        initKind.set(InitKind.FILE);
        phase.set(Phase.TRAIN);
        if (IMAGE_SIZES.contains(checkpoint.imageSize())) {
            imageSize.set(checkpoint.imageSize());
        }
        notifier.info(i18n.tr("train.startFrom.done", io.github.facetoon.app.common.CheckpointNames.shortName(
                checkpoint.path())));
    }

    private void startRun(TrainingConfig config) {
        if (state.get() != RunState.IDLE) {
            return;
        }
        state.set(RunState.STARTING);
        lastRun = config.modelVersion();
        runPhase.set(config.phase());
        history.clear();
        weightChanges.clear();
        rollbacks.clear();
        runLog.clear();
        pendingSteps.clear();
        historyVersion.set(historyVersion.get() + 1);
        iteration.set(0);
        totalIter.set(config.totalIter());
        progress.set(-1);
        progressText.set(i18n.tr("train.progress.starting"));
        boolean withPreviews = previewsEnabled.get();
        background.execute(() -> {
            try {
                if (config.resume()) {
                    // The charts and the run log go on from where the run's kept history ends.
                    var past = pastLosses(config.modelVersion());
                    var log = pastLog(config.modelVersion());
                    ui.execute(() -> {
                        addPastLog(log);
                        addPast(past);
                    });
                }
                TrainingRun started = engine.startTraining(config, this::onEvent);
                started.setPreviewInterval(1000);
                started.setPreviewsEnabled(withPreviews);
                started.completion().whenComplete((last, error) -> ui.execute(() -> {
                    if (error != null) {
                        finish(null, ErrorText.describe(error, i18n));
                    } else if (last instanceof TrainingEvent.RunFailed failed) {
                        finish(null, failed.message());
                    } else {
                        finish(last, null);
                    }
                }));
                ui.execute(() -> {
                    // A run can end before this runs (nothing left to do); then it never becomes the active run.
                    if (state.get() == RunState.STARTING) {
                        run = started;
                        state.set(RunState.RUNNING);
                        syncWeightsTo(started);
                    }
                });
            } catch (RunExistsException e) {
                ui.execute(() -> {
                    idleAgain();
                    runConflict.set(new RunConflict(e.name(), e.newestIteration(), e.freeName(), config));
                });
            } catch (RuntimeException e) {
                ui.execute(() -> {
                    idleAgain();
                    notifier.error(i18n.tr("train.error.cannotStart"), ErrorText.describe(e, i18n));
                });
            }
        });
    }

    /** True while a run's earlier log lines are put back (they are on disk already). */
    private boolean loadingPastLog;

    /** Keeps the Run log's new lines with the run, so they come back on resume and after a restart. */
    private void keepLogLines(javafx.collections.ListChangeListener.Change<? extends String> c) {
        String run = lastRun;
        if (loadingPastLog || run == null) {
            return;
        }
        List<String> added = new java.util.ArrayList<>();
        while (c.next()) {
            added.addAll(c.getAddedSubList());
        }
        if (!added.isEmpty()) {
            background.execute(() -> {
                try {
                    engine.runLibrary().appendLog(run, added);
                } catch (IOException | RuntimeException e) {
                    // the lines stay on screen; the log file is a convenience
                }
            });
        }
    }

    private List<String> pastLog(String run) {
        try {
            return engine.runLibrary().log(run);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private void addPastLog(List<String> lines) {
        loadingPastLog = true;
        try {
            runLog.addAll(lines);
        } finally {
            loadingPastLog = false;
        }
    }

    private java.util.Map<Integer, java.util.Map<String, Double>> pastLosses(String run) {
        try {
            return engine.runLibrary().lossHistory(run);
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
    }

    private void addPast(java.util.Map<Integer, java.util.Map<String, Double>> past) {
        past.forEach(history::add);
        if (!past.isEmpty()) {
            historyVersion.set(historyVersion.get() + 1);
        }
    }

    /**
     * Shows a run's kept loss history in the charts and its log while nothing trains (the studio's last run after a restart).
     *
     * @param run the run's name
     */
    public void showHistoryOf(String run) {
        if (run == null || run.isBlank()) {
            return;
        }
        background.execute(() -> {
            var past = pastLosses(run);
            var log = pastLog(run);
            ui.execute(() -> {
                if (state.get() == RunState.IDLE && history.terms().isEmpty()) {
                    addPast(past);
                    addPastLog(log);
                }
            });
        });
    }

    /** The name of the run trained last in this studio (for its charts after a restart); null before any. */
    public String lastRun() {
        return lastRun;
    }

    private volatile String lastRun;

    private void idleAgain() {
        state.set(RunState.IDLE);
        progress.set(0);
        progressText.set("");
    }

    /** The learning rate of the next run; during a run the rate in force (setting it changes the run's from its next step). */
    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    /** Iterations the run rolled back to (after a NaN or a collapse); the charts mark them. */
    public ObservableList<Integer> rollbacks() {
        return rollbacks;
    }

    /** Threads the engine uses, 0 for one per core; applies at once, to a running training from its next step. */
    public IntegerProperty threadsProperty() {
        return threads;
    }

    /** How many of a run's newest checkpoints are kept (older ones go, except every 5,000th). */
    public IntegerProperty keepLastProperty() {
        return keepLast;
    }

    /** The measured cost of the run the settings describe; empty until "Estimate" is pressed. */
    public ReadOnlyStringProperty estimateTextProperty() {
        return estimateText.getReadOnlyProperty();
    }

    /** True while an estimate is being measured. */
    public javafx.beans.property.ReadOnlyBooleanProperty estimatingProperty() {
        return estimating.getReadOnlyProperty();
    }

    /** Measures a few real steps of the run the settings describe (seconds), then shows time per step, for the run, and memory. */
    public void estimate() {
        if (estimating.get() || state.get() != RunState.IDLE) {
            return;
        }
        TrainingConfig config;
        try {
            config = buildConfig();
        } catch (IllegalArgumentException e) {
            estimateText.set(e.getMessage());
            return;
        }
        estimating.set(true);
        estimateText.set(i18n.tr("train.estimate.measuring"));
        background.execute(() -> {
            try {
                var measured = engine.estimate(config);
                ui.execute(() -> {
                    estimating.set(false);
                    lastEstimate = measured;
                    showEstimate();
                });
            } catch (Exception | OutOfMemoryError e) {
                String why = ErrorText.describe(e, i18n);
                ui.execute(() -> {
                    estimating.set(false);
                    estimateText.set(i18n.tr("train.estimate.failed", why));
                });
            }
        });
    }

    private void showEstimate() {
        var e = lastEstimate;
        if (e == null) {
            return;
        }
        estimateText.set(i18n.tr("train.estimate", String.format(i18n.locale(), "%.1f", e.secondsPerStep()),
                io.github.facetoon.app.common.Numbers.duration(e.secondsPerStep() * iterations.get()),
                iterations.get(), e.memoryBytes() < 0 ? "?" : io.github.facetoon.app.common.Numbers.bytes(e.memoryBytes())));
    }

    /** The workspace's runs and trash (the Runs tab). */
    public RunsViewModel runs() {
        return runs;
    }

    /** The start refused because its run already has checkpoints, until {@link #resolveConflict} answers it. */
    public ReadOnlyObjectProperty<RunConflict> runConflictProperty() {
        return runConflict.getReadOnlyProperty();
    }

    /**
     * Answers a refused start: resume the existing run, start under the free name, or move the existing run to the
     * trash and start under its name.
     *
     * @param choice what to do
     */
    public void resolveConflict(ConflictChoice choice) {
        RunConflict c = runConflict.get();
        runConflict.set(null);
        if (c == null || choice == ConflictChoice.CANCEL) {
            return;
        }
        switch (choice) {
            case RESUME -> {
                int total = Math.max(c.config().totalIter(), c.newestIteration() + Math.max(saveEvery.get(), 1000));
                iterations.set(total);
                startRun(c.config().toBuilder().resume(true).totalIter(total).build());
            }
            case NEW_NAME -> {
                modelVersion.set(c.freeName());
                startRun(c.config().toBuilder().modelVersion(c.freeName()).build());
            }
            case REPLACE -> background.execute(() -> {
                try {
                    var trashed = engine.runLibrary().moveToTrash(c.name());
                    ui.execute(() -> {
                        notifier.info(i18n.tr("runs.replaced", c.name(), trashed.folder().getFileName().toString()));
                        startRun(c.config());
                    });
                } catch (IOException | RuntimeException e) {
                    ui.execute(() -> notifier.error(i18n.tr("train.error.cannotStart"), ErrorText.describe(e, i18n)));
                }
            });
            default -> { }
        }
    }

    /** Pauses the run after its current step. */
    public void pause() {
        TrainingRun r = run;
        if (r != null && state.get() == RunState.RUNNING) {
            r.pause();
            state.set(RunState.PAUSED);
        }
    }

    /** Resumes a paused run. */
    public void resume() {
        TrainingRun r = run;
        if (r != null && state.get() == RunState.PAUSED) {
            r.resume();
            state.set(RunState.RUNNING);
        }
    }

    /** Pauses a running run or resumes a paused one. */
    public void togglePause() {
        if (state.get() == RunState.PAUSED) {
            resume();
        } else {
            pause();
        }
    }

    /** Stops the run after its current step; it writes a checkpoint. */
    public void stop() {
        TrainingRun r = run;
        if (r != null && (state.get() == RunState.RUNNING || state.get() == RunState.PAUSED)) {
            state.set(RunState.STOPPING);
            progressText.set(i18n.tr("train.progress.stopping"));
            r.cancel();
        }
    }

    /** Reloads the checkpoint list in the background. */
    public void refreshCheckpoints() {
        runs.refresh();
        background.execute(() -> {
            try {
                List<CheckpointInfo> list = engine.checkpoints();
                ui.execute(() -> checkpoints.setAll(list));
            } catch (RuntimeException e) {
                ui.execute(() -> notifier.error(i18n.tr("train.error.checkpoints"), ErrorText.describe(e, i18n)));
            }
        });
    }

    // ---- Events (engine thread in, UI executor out) ----

    private void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.StepCompleted step) {
            pendingSteps.add(step);
            steps.offer(step);
        } else if (event instanceof TrainingEvent.PreviewReady ready) {
            previews.offer(ready);
        } else {
            ui.execute(() -> applyEvent(event));
        }
    }

    private void applySteps(TrainingEvent.StepCompleted latest) {
        TrainingEvent.StepCompleted s;
        boolean any = false;
        while ((s = pendingSteps.poll()) != null) {
            history.add(s.iteration(), s.losses());
            any = true;
        }
        if (any) {
            historyVersion.set(historyVersion.get() + 1);
        }
        iteration.set(latest.iteration());
        totalIter.set(latest.totalIter());
        runPhase.set(latest.phase());
        progress.set(latest.totalIter() > 0 ? Math.min(1, latest.iteration() / (double) latest.totalIter()) : 0);
        if (state.get() == RunState.RUNNING || state.get() == RunState.PAUSED) {
            // The first step has no rate yet: say so rather than "NaN it/s".
            progressText.set(Double.isFinite(latest.itPerSec())
                    ? i18n.tr("train.progress", latest.iteration(), latest.totalIter(),
                            String.format(i18n.locale(), "%.2f", latest.itPerSec()),
                            io.github.facetoon.app.common.Numbers.duration(latest.etaSeconds()))
                    : i18n.tr("train.progress.measuring", latest.iteration(), latest.totalIter()));
        }
    }

    private void applyPreview(TrainingEvent.PreviewReady ready) {
        preview.set(ready);
        previewsShown.set(previewsShown.get() + 1);
    }

    private void applyEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.WeightsChanged changed) {
            weightChanges.add(changed.iteration());
            runLog.add(i18n.tr("train.log.weights", changed.iteration(), changed.weights().toString()));
        } else if (event instanceof TrainingEvent.CheckpointSaved saved) {
            String name = io.github.facetoon.app.common.CheckpointNames.shortName(saved.path());
            runLog.add(i18n.tr("train.log.checkpoint", saved.iteration(), name));
            notifier.info(i18n.tr("train.log.checkpoint", saved.iteration(), name));
            refreshCheckpoints();
        } else if (event instanceof TrainingEvent.DataProblem problem) {
            runLog.add(i18n.tr("train.log.dataProblem", problem.file().getFileName(), problem.reason()));
            DatasetViewModel owner = cartoons.getFolder() != null && problem.file().startsWith(cartoons.getFolder())
                    ? cartoons : photos;
            owner.reportBadFile(problem.file(), problem.reason());
        } else if (event instanceof TrainingEvent.PauseChanged paused) {
            if (state.get() == RunState.RUNNING || state.get() == RunState.PAUSED) {
                state.set(paused.paused() ? RunState.PAUSED : RunState.RUNNING);
            }
        } else if (event instanceof TrainingEvent.LearningRateChanged lr) {
            fromEngine(() -> learningRate.set(lr.learningRate()));
        } else if (event instanceof TrainingEvent.RolledBack back) {
            // What the engine uses now, shown where people set it: the checkpoint's weights, the lowered rate.
            fromEngine(() -> {
                weights.forEach((t, p) -> p.set(back.weights().get(t)));
                learningRate.set(back.learningRate());
            });
            history.truncateAfter(back.iteration());
            weightChanges.removeIf(i -> i > back.iteration());
            rollbacks.add(back.iteration());
            historyVersion.set(historyVersion.get() + 1);
            String text = i18n.tr(back.nan() ? "train.rollback.nan" : "train.rollback.collapse", back.failedAt(),
                    back.iteration(), io.github.facetoon.app.common.Numbers.compact(back.learningRate()));
            runLog.add(text);
            notifier.error(i18n.tr("train.rollback.title"), text);
            return;
        } else if (event instanceof TrainingEvent.Preparing preparing) {
            if (iteration.get() == 0 || state.get() == RunState.STARTING) {
                progressText.set(i18n.tr("train.progress.stage." + preparing.stage().name().toLowerCase(java.util.Locale.ROOT)));
            }
        } else if (event instanceof TrainingEvent.Notice notice) {
            runLog.add(notice.message());
            notifier.info(notice.message());
        } else if (event instanceof TrainingEvent.RunFinished finished) {
            finish(finished, null);
        } else if (event instanceof TrainingEvent.RunFailed failed) {
            finish(null, failed.message());
        }
    }

    private void finish(TrainingEvent finished, String failure) {
        if (state.get() == RunState.IDLE) {
            return; // the event and the completion future both report the end
        }
        // Late step reports still waiting are applied first, so the chart ends at the last step.
        TrainingEvent.StepCompleted last = null;
        for (TrainingEvent.StepCompleted s : pendingSteps) {
            last = s;
        }
        if (last != null) {
            applySteps(last);
        }
        run = null;
        state.set(RunState.IDLE);
        if (failure != null) {
            progressText.set(i18n.tr("train.progress.failed", iteration.get()));
            runLog.add(failure);
            notifier.error(i18n.tr("train.error.failed"), failure);
        } else if (finished instanceof TrainingEvent.RunFinished f && f.cancelled()) {
            progressText.set(i18n.tr("train.progress.stopped", f.iteration()));
            notifier.info(i18n.tr("train.progress.stopped", f.iteration()));
        } else {
            progressText.set(i18n.tr("train.progress.done", iteration.get()));
            notifier.info(i18n.tr("train.progress.done", iteration.get()));
        }
        refreshCheckpoints();
    }

    private void fromEngine(Runnable copy) {
        syncingFromEngine = true;
        try {
            copy.run();
        } finally {
            syncingFromEngine = false;
        }
    }

    private void onWeightEdited(LossTerm term, double value) {
        TrainingRun r = run;
        if (r != null && !applyingPreset && !syncingFromEngine && r.weights().get().get(term) != value) {
            r.weights().set(term, value);
        }
    }

    private void syncWeightsTo(TrainingRun r) {
        // Weights moved while the run was starting take effect now.
        LossWeights edited = getWeights();
        if (!edited.equals(r.weights().get())) {
            r.weights().set(edited);
        }
    }

    /** True while another part of the studio (the ablation board) trains: the engine runs one training at a time. */
    public BooleanProperty otherRunActiveProperty() {
        return otherRunActive;
    }

    /** Binding helper for views: true when Start is possible. @return the binding */
    public BooleanBinding canStartProperty() {
        return Bindings.createBooleanBinding(() -> startBlocker() == null, startDependencies());
    }

    /** Why Start is not possible, for the view to show; empty when it is. @return the binding */
    public javafx.beans.binding.StringBinding startHintProperty() {
        return Bindings.createStringBinding(() -> {
            String key = startBlocker();
            return key == null ? "" : i18n.tr(key);
        }, startDependencies());
    }

    private javafx.beans.Observable[] startDependencies() {
        return new javafx.beans.Observable[] {state, photos.folderProperty(), cartoons.folderProperty(), phase,
            otherRunActive, photos.countProperty(), cartoons.countProperty(), photos.scanningProperty(),
            cartoons.scanningProperty()};
    }

    private String startBlocker() {
        if (state.get() != RunState.IDLE) {
            return "train.hint.running";
        }
        if (otherRunActive.get()) {
            return "train.hint.ablation";
        }
        if (photos.getFolder() == null) {
            return "train.error.noPhotos";
        }
        if (phase.get() == Phase.TRAIN && cartoons.getFolder() == null) {
            return "train.error.noCartoons";
        }
        if (photos.scanningProperty().get() || phase.get() == Phase.TRAIN && cartoons.scanningProperty().get()) {
            return "train.hint.scanning";
        }
        if (photos.countProperty().get() == 0) {
            return "train.hint.noUsablePhotos";
        }
        if (phase.get() == Phase.TRAIN && cartoons.countProperty().get() == 0) {
            return "train.hint.noUsableCartoons";
        }
        return null;
    }
}
