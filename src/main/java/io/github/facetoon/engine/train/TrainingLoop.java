package io.github.facetoon.engine.train;

import io.github.facetoon.config.LossWeights;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The per-step work of one training phase (pretraining or full training), driven by {@link TrainingRunner}.
 * Every method runs on the engine thread.
 */
public interface TrainingLoop extends AutoCloseable {

    /**
     * Runs one optimisation step.
     *
     * @param iteration the 1-based iteration; all randomness of the step derives from it and the seed
     * @param weights the loss weights for this step
     * @return the step's loss values: unweighted terms and totals (see {@link TrainingEvent.StepCompleted})
     */
    Map<String, Double> step(int iteration, LossWeights weights);

    /**
     * Renders the preview images of the fixed preview batch with the current networks.
     *
     * @param notes receives remarks to show with them
     * @return named images
     */
    List<TrainingEvent.NamedImage> preview(List<String> notes);

    /**
     * Writes the full training state (networks and optimisers) as checkpoint sections.
     *
     * @return named sections
     * @throws IOException on a serialisation error
     */
    Map<String, byte[]> saveState() throws IOException;

    /**
     * Restores the full training state written by {@link #saveState()}.
     *
     * @param checkpoint the checkpoint
     * @throws IOException when it does not fit these networks
     */
    void loadState(CheckpointFile checkpoint) throws IOException;

    /**
     * Starts the generator from a checkpoint's generator (for {@code --init}); discriminators and optimisers
     * keep their fresh state.
     *
     * @param checkpoint the checkpoint
     * @throws IOException when it has no generator or it does not fit
     */
    void loadGenerator(CheckpointFile checkpoint) throws IOException;

    /** The learning rate of the optimisers. */
    double learningRate();

    /**
     * Sets the learning rate of the optimisers.
     *
     * @param lr the new rate
     */
    void setLearningRate(double lr);

    /**
     * The median inter-ocular distance of the training faces in pixels of a training crop, as measured by the
     * loop; empty when it does not measure it (pretraining) or the photos hold no face.
     */
    default java.util.OptionalDouble faceIod() {
        return java.util.OptionalDouble.empty();
    }

    /** A short name of the content feature network, recorded in checkpoints (empty for pretraining). */
    default String featureNetwork() {
        return "";
    }

    /**
     * How long the engine thread has waited, in total since the loop was built, for inputs prepared on other
     * threads: training batches (the prefetch thread) and superpixel maps (the structure pool). While it waits the
     * device has no work from this loop, so the benchmark reports these as shares of the step time.
     *
     * @return the totals; zero for a loop that does not know them
     */
    default InputWaits inputWaits() {
        return new InputWaits(0, 0);
    }

    /**
     * Whether the generator's output in the last step collapsed: a flat image for every photo of the batch (the
     * mode collapse White-box trainings are known for: a tanh output stuck at one colour gets no gradient back),
     * a burnt-out or two-colour output with many values at the ends of the range, or a smooth wash with no detail
     * left. The runner treats a few such steps in a row like a numeric blow-up.
     *
     * @return true after a collapsed step; false for loops that cannot tell
     */
    default boolean outputCollapsed() {
        return false;
    }

    /**
     * Waiting totals of a loop, see {@link #inputWaits()}.
     *
     * @param dataNanos time spent waiting for training batches
     * @param superpixelNanos time spent waiting for superpixel (structure) maps
     */
    record InputWaits(long dataNanos, long superpixelNanos) {}

    @Override
    void close();
}
