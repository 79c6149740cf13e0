package io.github.facetoon.engine.train;

import java.util.concurrent.CompletableFuture;

/** A handle on a running training: its live weights and cooperative controls. */
public interface TrainingRun {

    /** The weights the run reads at every step; changing them changes the next step. */
    LiveLossWeights weights();

    /** Pauses after the current step. */
    void pause();

    /** Resumes a paused run. */
    void resume();

    /** Returns whether the run is paused. */
    boolean isPaused();

    /** Stops after the current step and writes a checkpoint. */
    void cancel();

    /**
     * Turns preview images on or off (they cost a little time).
     *
     * @param enabled true to send {@link TrainingEvent.PreviewReady} events
     */
    void setPreviewsEnabled(boolean enabled);

    /**
     * Sets the minimum time between two previews. Whatever it is, previews wait at least 24 times what the last
     * one cost, so they never take more than 4 % of the training time.
     *
     * @param millis milliseconds, e.g. 1000
     */
    void setPreviewInterval(long millis);

    /**
     * Sets the learning rate of both optimisers from the next step; the run answers with
     * {@link TrainingEvent.LearningRateChanged}.
     *
     * @param learningRate a positive rate
     * @throws IllegalArgumentException when it is not a positive finite number
     */
    void setLearningRate(double learningRate);

    /** Completes with the final event ({@link TrainingEvent.RunFinished} or {@link TrainingEvent.RunFailed}). */
    CompletableFuture<TrainingEvent> completion();
}
