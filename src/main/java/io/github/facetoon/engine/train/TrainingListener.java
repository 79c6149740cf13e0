package io.github.facetoon.engine.train;

/** Receives a training run's events, on the engine thread; must return quickly. */
@FunctionalInterface
public interface TrainingListener {

    /**
     * Called for every event.
     *
     * @param event the event
     */
    void onEvent(TrainingEvent event);
}
