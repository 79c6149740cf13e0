package io.github.facetoon.app.common;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands the newest of a stream of values to a consumer on a UI executor, dropping values the UI has not yet
 * taken instead of queueing them. At most one task is waiting on the executor at any time.
 *
 * <p>With the app's {@code FxEventPump} as executor this gives the pump's coalescing; with {@code Runnable::run}
 * (tests) every value is delivered at once.
 *
 * @param <T> the value type
 */
public final class Coalescer<T> {

    private final Executor ui;
    private final Consumer<T> sink;
    private final AtomicReference<T> latest = new AtomicReference<>();

    /**
     * Creates the coalescer.
     *
     * @param ui the executor that runs the consumer
     * @param sink the consumer
     */
    public Coalescer(Executor ui, Consumer<T> sink) {
        this.ui = Objects.requireNonNull(ui);
        this.sink = Objects.requireNonNull(sink);
    }

    /**
     * Offers a value from any thread.
     *
     * @param value the value, not null
     */
    public void offer(T value) {
        if (latest.getAndSet(Objects.requireNonNull(value)) == null) {
            ui.execute(() -> {
                T v = latest.getAndSet(null);
                if (v != null) {
                    sink.accept(v);
                }
            });
        }
    }
}
