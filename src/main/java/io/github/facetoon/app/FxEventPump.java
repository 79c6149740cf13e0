package io.github.facetoon.app;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one bridge from engine threads to the FX thread.
 *
 * <p>Work that must not be lost ({@link #execute}) goes through a queue; values where only the newest matters
 * go through a {@link Latest} slot that keeps one value in an {@link AtomicReference}. Either kind asks the FX
 * thread for a drain pass with a single {@code Platform.runLater}, and only when no pass is pending, so a run
 * that reports a thousand steps a second costs at most one pass per pulse. A pass runs the queue in order, then
 * the slots' newest values. This is the coalescing that {@code Task.updateProgress} does.
 */
public final class FxEventPump implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(FxEventPump.class);

    private final Executor fxThread;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Latest<?>> dirty = new ConcurrentLinkedQueue<>();
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

    /**
     * Creates a slot for a value of which only the newest counts (progress, preview images).
     *
     * @param sink receives the newest value on the FX thread
     * @param <T> the value type
     * @return the slot; offer values to it from any thread
     */
    public <T> Latest<T> latest(Consumer<T> sink) {
        return new Latest<>(sink);
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
        Latest<?> slot;
        while ((slot = dirty.poll()) != null) {
            Latest<?> s = slot;
            runSafely(s::deliver);
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

    /**
     * A slot that holds the newest value until the FX thread takes it; older values are dropped, never queued.
     *
     * @param <T> the value type
     */
    public final class Latest<T> {
        private final AtomicReference<T> value = new AtomicReference<>();
        private final Consumer<T> sink;

        private Latest(Consumer<T> sink) {
            this.sink = Objects.requireNonNull(sink);
        }

        /**
         * Offers a value; it replaces any value not yet delivered.
         *
         * @param v the value, not null
         */
        public void offer(T v) {
            if (value.getAndSet(Objects.requireNonNull(v)) == null) {
                dirty.add(this);
                schedule();
            }
        }

        private void deliver() {
            T v = value.getAndSet(null);
            if (v != null) {
                sink.accept(v);
            }
        }
    }
}
