package io.github.facetoon.engine.train;

import ai.djl.engine.EngineException;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.ResumeOverrides;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a training on the dedicated {@code facetoon-engine} thread: live weights read at every step, pause,
 * resume and cancel between steps, throttled previews, periodic atomic checkpoints, and recovery from
 * numeric blow-ups and mode collapse ({@link CollapseGuard}: roll back to the last good checkpoint and lower the
 * learning rate).
 */
public final class TrainingRunner implements TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);
    /** The least time between two live previews unless {@link #setPreviewInterval} says otherwise. */
    public static final long DEFAULT_PREVIEW_INTERVAL_MILLIS = 1000;
    /**
     * Previews wait at least this many times their own duration after the previous one, so that they take at most
     * 1/(1 + factor) of the training time (4 %) whatever the interval: on a fast GPU a preview can cost as much as
     * several steps, and at one per second it would slow training by far more than the 5 % the studio allows.
     */
    static final long PREVIEW_GAP_FACTOR = 24;

    private final TrainingConfig config;
    private final Supplier<TrainingLoop> loopFactory;
    private final TrainingListener listener;
    private final LiveLossWeights weights;
    private final CompletableFuture<TrainingEvent> completion = new CompletableFuture<>();
    private final Object pauseLock = new Object();
    private final Workspace workspace;
    private volatile boolean paused;
    private volatile boolean cancelled;
    private volatile boolean previews = true;
    private volatile long previewIntervalMillis = DEFAULT_PREVIEW_INTERVAL_MILLIS;
    private volatile int reportEvery = 1;
    private Thread thread;

    /**
     * Prepares a run; {@link #start()} begins it.
     *
     * @param config the configuration
     * @param loopFactory builds the phase's loop on the engine thread (networks, data, optimisers)
     * @param listener receives events on the engine thread
     */
    public TrainingRunner(TrainingConfig config, Supplier<TrainingLoop> loopFactory, TrainingListener listener) {
        this.config = config;
        this.loopFactory = loopFactory;
        this.listener = listener;
        this.weights = new LiveLossWeights(config.weights());
        this.workspace = new Workspace(config.workspace());
    }

    /** The run's configuration. */
    public TrainingConfig config() {
        return config;
    }

    /**
     * Starts the engine thread.
     *
     * @return this
     */
    public TrainingRunner start() {
        thread = new Thread(this::runSafely, "facetoon-engine");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Sets how often step events are sent (every n-th step; the first and last steps always).
     *
     * @param n at least 1
     */
    public void setReportEvery(int n) {
        reportEvery = Math.max(1, n);
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
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void cancel() {
        cancelled = true;
        resume();
    }

    /** A rate the user set, applied before the next step; NaN when none is waiting. */
    private volatile double pendingLearningRate = Double.NaN;

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + learningRate);
        }
        pendingLearningRate = learningRate;
    }

    @Override
    public void setPreviewsEnabled(boolean enabled) {
        previews = enabled;
    }

    @Override
    public void setPreviewInterval(long millis) {
        previewIntervalMillis = Math.max(0, millis);
    }

    @Override
    public CompletableFuture<TrainingEvent> completion() {
        return completion;
    }

    private void emit(TrainingEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("a training listener failed on {}: {}", e.getClass().getSimpleName(), ex.toString());
        }
    }

    /** The final event; sent and completed by {@link #runSafely()} once the workspace lock is released. */
    private TrainingEvent outcome;
    private void finish(TrainingEvent e) {
        outcome = e;
    }

    private void runSafely() {
        int[] iteration = {0};
        try (WorkspaceLock lock = WorkspaceLock.acquire(workspace.root(),
                config.phase().name().toLowerCase() + " of model version " + config.modelVersion())) {
            run(iteration);
        } catch (Throwable t) {
            String msg = describeFailure(t);
            LOG.error("training failed at iteration {}: {}", iteration[0], msg, t);
            outcome = new TrainingEvent.RunFailed(iteration[0], msg);
        }
        if (outcome == null) {
            outcome = new TrainingEvent.RunFailed(iteration[0], "the training stopped unexpectedly");
        }
        if (lossLog != null) {
            try {
                lossLog.close();
            } catch (IOException e) {
                LOG.warn("the run's loss history may be incomplete: {}", e.getMessage());
            }
        }
        // The loop and its networks are closed: give their memory back to the system, not only to malloc.
        io.github.facetoon.engine.NativeMemory.release();
        // Only now, with the lock released, may a waiting caller start the next training.
        emit(outcome);
        completion.complete(outcome);
    }

    /** Turns an exception into a message a user can act on. */
    static String describeFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof OutOfMemoryError || m.contains("out of memory") || m.contains("CUDA out of memory")
                    || m.contains("DefaultCPUAllocator: can't allocate memory")) {
                return "out of memory: try a smaller --batch_size or --image_size";
            }
        }
        if (t instanceof EngineException) {
            return "the engine failed: " + t.getMessage();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private void run(int[] iterationOut) throws IOException, InterruptedException {
        // Checked again under the workspace lock: a run's folder never mixes two runs.
        RunLibrary.refuseOverwrite(config);
        CheckpointStore store = new CheckpointStore(workspace.run(config.modelVersion()), config.keepLast(), 5000);
        RunCheckpoints checkpoints = new RunCheckpoints(config, store, this::emit);
        int removed = store.cleanTemporaryFiles();
        if (removed > 0) {
            LOG.info("removed {} temporary file(s) left by an interrupted save", removed);
        }
        // OpenMP keeps the thread count per calling thread: this engine thread sets its own, and again whenever the
        // count asked for changes (the studio's Threads setting during a run).
        io.github.facetoon.engine.NativeThreads.apply();
        try (TrainingLoop loop = loopFactory.get()) {
            int start = 0;
            Path lastGood = null;
            if (config.resume()) {
                var skipped = new ArrayList<String>();
                var found = store.newestGood(skipped::add);
                skipped.forEach(s -> emit(new TrainingEvent.Notice(0, "skipped a damaged checkpoint: " + s)));
                if (found.isEmpty()) {
                    throw new IOException("--resume: no usable checkpoint in " + store.folder());
                }
                checkpoints.restore(loop, found.get().file(), weights);
                checkpoints.carryFrom(found.get().file());
                start = CheckpointHeader.of(found.get().file().header()).iteration();
                applyResumeOverrides(loop, start);
                lastGood = found.get().path();
                emit(new TrainingEvent.Notice(start, "resumed from " + lastGood.getFileName()));
            } else if (config.init() != null) {
                CheckpointFile init = CheckpointFile.read(config.init());
                loop.loadGenerator(init);
                emit(new TrainingEvent.Notice(0, "generator initialised from " + config.init().getFileName()));
                if (!checkpoints.startFrom(init) && config.phase() == TrainingConfig.Phase.TRAIN) {
                    emit(new TrainingEvent.Notice(0, config.init().getFileName() + " is a trained model without its "
                            + "pretrained generator: this run's models will offer strength by blending only"));
                }
            }
            if (start >= config.totalIter()) {
                finish(new TrainingEvent.RunFinished(start, lastGood, false));
                return;
            }
            // A resumed checkpoint was saved after a healthy step; a fresh start is healthy once a step shows it.
            CollapseGuard guard = new CollapseGuard(lastGood != null);
            Path freshStart = null;
            if (lastGood == null) {
                // The starting point is saved too, so a numeric blow-up can always be rolled back.
                lastGood = checkpoints.save(loop, start, weights.get());
                freshStart = lastGood;
            }
            lossLog = openLossLog(store.folder(), config.resume() ? start : -1);
            emit(new TrainingEvent.LearningRateChanged(start, loop.learningRate()));
            emit(new TrainingEvent.Preparing(start, TrainingEvent.Stage.FIRST_STEP));
            boolean saveDue = false;
            LossWeights lastWeights = null;
            long nextPreview = 0;
            RateMeter rate = new RateMeter();
            int it = start;
            while (it < config.totalIter() && !cancelled) {
                waitWhilePaused(it);
                if (cancelled) {
                    break;
                }
                int next = it + 1;
                io.github.facetoon.engine.NativeThreads.apply();
                double asked = pendingLearningRate;
                if (!Double.isNaN(asked)) {
                    pendingLearningRate = Double.NaN;
                    loop.setLearningRate(asked);
                    emit(new TrainingEvent.LearningRateChanged(next, loop.learningRate()));
                }
                LossWeights w = weights.get();
                if (lastWeights != null && !w.equals(lastWeights)) {
                    emit(new TrainingEvent.WeightsChanged(next, w));
                }
                lastWeights = w;
                Map<String, Double> losses = loop.step(next, w);
                boolean blowUp = !allFinite(losses);
                if (!blowUp) {
                    logLosses(next, losses);
                }
                CollapseGuard.Verdict verdict = guard.afterStep(blowUp, loop.outputCollapsed(), lastGood != null);
                if (verdict == CollapseGuard.Verdict.NEVER_HEALTHY) {
                    // Not a collapse: the output was never anything but flat, and rolling back would land on the same.
                    // The start this run saved goes again, so the name stays free for the next try.
                    if (freshStart != null && store.list().equals(List.of(freshStart))) {
                        java.nio.file.Files.deleteIfExists(freshStart);
                    }
                    throw new IOException("the generator's output has been flat or two-coloured since the start (iteration "
                            + start + "): training needs a pretrained generator to start from; run pretrain first, or"
                            + " start from a pretrained checkpoint or model (--init); nothing of this run was kept");
                }
                if (verdict != CollapseGuard.Verdict.GO_ON) {
                    String what = blowUp ? "the losses became NaN or infinite at iteration " + next
                            : "the generator's output collapsed to a flat or two-colour image ("
                                    + CollapseGuard.COLLAPSE_STEPS + " steps in a row) at iteration " + next;
                    if (verdict == CollapseGuard.Verdict.GIVE_UP) {
                        throw new IOException(what + (lastGood == null ? " before any checkpoint was saved"
                                : " again after lowering the learning rate " + guard.rollbacks() + " times")
                                + (blowUp ? ": try smaller loss weights or a lower learning rate"
                                        : ": try a lower learning rate, smaller surface/texture weights or a longer"
                                                + " pretraining")
                                + "; no bad checkpoint was written");
                    }
                    CheckpointFile good = CheckpointFile.read(lastGood);
                    // The rate in force, not the checkpoint's: a second roll-back to the same checkpoint lowers it
                    // again rather than landing on the same rate.
                    double lr = loop.learningRate();
                    checkpoints.restore(loop, good, weights);
                    it = CheckpointHeader.of(good.header()).iteration();
                    logRollback(it);
                    loop.setLearningRate(lr / (blowUp ? 10 : 2));
                    guard.rolledBack();
                    saveDue = false;
                    emit(new TrainingEvent.RolledBack(it, next, weights.get(), loop.learningRate(), blowUp));
                    emit(new TrainingEvent.LearningRateChanged(it, loop.learningRate()));
                    continue;
                }
                it = next;
                iterationOut[0] = it;
                double itPerSec = rate.tick();
                if (it == start + 1 || it % reportEvery == 0 || it == config.totalIter()) {
                    double eta = itPerSec > 0 ? (config.totalIter() - it) / itPerSec : Double.NaN;
                    emit(new TrainingEvent.StepCompleted(it, config.totalIter(), config.phase(), losses, itPerSec, eta, w));
                }
                long now = System.currentTimeMillis();
                if (previews && now >= nextPreview) {
                    List<String> notes = new ArrayList<>();
                    var images = loop.preview(notes);
                    emit(new TrainingEvent.PreviewReady(it, images, notes));
                    long end = System.currentTimeMillis();
                    // Previews may take at most 1/(1 + factor) of the time: wait that many times what this one cost.
                    nextPreview = end + Math.max(previewIntervalMillis, PREVIEW_GAP_FACTOR * (end - now));
                }
                // A checkpoint is never taken from a step whose output was flat: it waits for a healthy step (or the
                // roll-back), so that rolling back always lands before the collapse.
                saveDue |= it % config.saveEvery() == 0;
                if (saveDue && guard.saveAllowed()) {
                    lastGood = checkpoints.save(loop, it, w);
                    saveDue = false;
                }
            }
            if (lastGood == null || CheckpointStore.iterationOf(lastGood).orElse(-1) != it) {
                if (it > start) {
                    lastGood = checkpoints.save(loop, it, weights.get());
                }
            }
            finish(new TrainingEvent.RunFinished(it, lastGood, cancelled));
        }
    }

    /** The run's loss history on disk (its charts after a resume or a restart); null when it cannot be written. */
    private LossLog lossLog;

    private LossLog openLossLog(Path folder, int resumedAt) {
        try {
            return LossLog.open(folder, resumedAt);
        } catch (IOException e) {
            LOG.warn("the run's loss history cannot be written: {}", e.getMessage());
            return null;
        }
    }

    private void logLosses(int iteration, Map<String, Double> losses) {
        if (lossLog != null) {
            try {
                lossLog.step(iteration, losses);
            } catch (IOException e) {
                LOG.warn("the run's loss history stops here: {}", e.getMessage());
                lossLog = null;
            }
        }
    }

    private void logRollback(int iteration) {
        if (lossLog != null) {
            try {
                lossLog.rolledBack(iteration);
            } catch (IOException e) {
                lossLog = null;
            }
        }
    }

    private void waitWhilePaused(int it) throws InterruptedException {
        if (!paused) {
            return;
        }
        emit(new TrainingEvent.PauseChanged(it, true));
        synchronized (pauseLock) {
            while (paused && !cancelled) {
                pauseLock.wait(500);
            }
        }
        emit(new TrainingEvent.PauseChanged(it, false));
    }

    /** After a resume: what the user gave for this run wins over the checkpoint's rate and weights. */
    private void applyResumeOverrides(TrainingLoop loop, int iteration) {
        ResumeOverrides given = config.resumeOverrides();
        LossWeights saved = weights.get();
        LossWeights now = given.apply(saved);
        if (!now.equals(saved)) {
            weights.set(now);
            emit(new TrainingEvent.Notice(iteration, "weights changed on resume: " + now));
        }
        if (given.learningRate().isPresent() && given.learningRate().getAsDouble() != loop.learningRate()) {
            loop.setLearningRate(given.learningRate().getAsDouble());
            emit(new TrainingEvent.Notice(iteration, "learning rate changed on resume: " + loop.learningRate()));
        }
    }

    private static boolean allFinite(Map<String, Double> losses) {
        for (double v : losses.values()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Iterations per second over a sliding window. */
    private static final class RateMeter {
        private final long[] times = new long[20];
        private int count;

        double tick() {
            long now = System.nanoTime();
            times[count % times.length] = now;
            count++;
            int n = Math.min(count, times.length);
            if (n < 2) {
                return Double.NaN;
            }
            long oldest = times[(count - n) % times.length];
            return (n - 1) / ((now - oldest) / 1e9);
        }
    }
}
