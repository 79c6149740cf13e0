package io.github.facetoon.app;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one bridge from engine threads to the FX thread.
 *
 * <p>Work goes through a queue ({@link #execute}) and asks the FX thread for a drain pass with a single
 * {@code Platform.runLater}, and only when no pass is pending, so a run that reports a thousand steps a second costs
 * at most one pass per pulse; a pass runs the queue in order. This is the coalescing that {@code Task.updateProgress}
 * does.
 */
public final class FxEventPump implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(FxEventPump.class);

    private final Executor fxThread;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean pending = new AtomicBoolean();

    /**
     * Creates the pump.
     *
     * @param fxThread posts to the FX thread: {@code Platform::runLater} in the app, a recorder in tests
     */
    public FxEventPump(Executor fxThread) {
        this.fxThread = Objects.requireNonNull(fxThread);
    }

    /**
     * Queues work that must run on the FX thread and must not be dropped (finished, failed, checkpoint saved).
     *
     * @param task the work
     */
    @Override
    public void execute(Runnable task) {
        queue.add(Objects.requireNonNull(task));
        schedule();
    }

    private void schedule() {
        if (pending.compareAndSet(false, true)) {
            fxThread.execute(this::drain);
        }
    }

    private void drain() {
        // Clear the flag first: anything offered while this pass runs schedules the next pass.
        pending.set(false);
        Runnable task;
        while ((task = queue.poll()) != null) {
            runSafely(task);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One failing consumer must not stop the others or the pump.
            LOG.error("UI update failed", e);
        }
    }
}
