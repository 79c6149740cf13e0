package io.github.facetoon.engine.train;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The loss weights of a running training: any thread may change them, and the training reads them once at
 * the start of every step, so a change takes effect at the next step.
 */
public final class LiveLossWeights {

    private final AtomicReference<LossWeights> current;
    private final List<Consumer<LossWeights>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates the holder.
     *
     * @param initial the starting weights
     */
    public LiveLossWeights(LossWeights initial) {
        current = new AtomicReference<>(initial);
    }

    /** Returns the weights now in force. */
    public LossWeights get() {
        return current.get();
    }

    /**
     * Replaces all weights.
     *
     * @param weights the new weights
     */
    public void set(LossWeights weights) {
        LossWeights old = current.getAndSet(weights);
        if (!old.equals(weights)) {
            listeners.forEach(l -> l.accept(weights));
        }
    }

    /**
     * Changes one weight, atomically with respect to other changes.
     *
     * @param term the term
     * @param value the new value
     */
    public void set(LossTerm term, double value) {
        LossWeights next = current.updateAndGet(w -> w.with(term, value));
        listeners.forEach(l -> l.accept(next));
    }

    /**
     * Registers a callback run (on the changing thread) after each change, before the training's next step reads it.
     *
     * @param listener the callback
     */
    public void addListener(Consumer<LossWeights> listener) {
        listeners.add(listener);
    }
}
