package io.github.facetoon.engine.train;

import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.vision.PixelImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a training run reports, as immutable snapshots. Listeners are called on the engine thread and must
 * return quickly (hand the event to another thread for anything slow).
 */
public sealed interface TrainingEvent {

    /** The iteration the event belongs to. */
    int iteration();

    /**
     * One optimisation step finished (reported every few steps, not necessarily every step).
     *
     * @param iteration the iteration just completed (1-based)
     * @param totalIter the iteration at which the run stops
     * @param phase pretrain or train
     * @param losses each generator term with a weight above 0, unweighted, under its {@link
     *     io.github.facetoon.config.LossTerm#key() key}, the weighted sum under {@link
     *     io.github.facetoon.config.LossTerm#TOTAL_KEY} and the discriminators' losses (train phase); {@link
     *     io.github.facetoon.config.LossTerm#PRETRAIN_KEY} for pretraining
     * @param itPerSec recent iterations per second
     * @param etaSeconds estimated seconds to {@code totalIter}
     * @param weights the weights used by this step
     */
    record StepCompleted(int iteration, int totalIter, Phase phase, Map<String, Double> losses, double itPerSec,
                         double etaSeconds, LossWeights weights) implements TrainingEvent {
        /** Copies the loss map. */
        public StepCompleted {
            losses = Map.copyOf(losses);
        }
    }

    /**
     * Preview images of the fixed preview batch.
     *
     * @param iteration the iteration they show
     * @param images named images: "photo", "output", "surface", "texture", "structure", "landmark"
     * @param notes remarks to show with them, e.g. "no face found: landmark term skipped"
     */
    record PreviewReady(int iteration, List<NamedImage> images, List<String> notes) implements TrainingEvent {
        /** Copies the lists. */
        public PreviewReady {
            images = List.copyOf(images);
            notes = List.copyOf(notes);
        }
    }

    /**
     * An image with its role.
     *
     * @param name the role, e.g. "surface"
     * @param image the pixels
     */
    record NamedImage(String name, PixelImage image) {}

    /**
     * The weights changed; they take effect at {@code iteration}.
     *
     * @param iteration the first iteration that uses the new weights
     * @param weights the new weights
     */
    record WeightsChanged(int iteration, LossWeights weights) implements TrainingEvent {}

    /**
     * A checkpoint was written completely.
     *
     * @param iteration its iteration
     * @param path its file
     */
    record CheckpointSaved(int iteration, Path path) implements TrainingEvent {}

    /**
     * A data file was skipped (reported once per file).
     *
     * @param iteration when it was found
     * @param file the file
     * @param reason why it was skipped
     */
    record DataProblem(int iteration, Path file, String reason) implements TrainingEvent {}

    /**
     * The run paused or resumed.
     *
     * @param iteration the iteration
     * @param paused true when now paused
     */
    record PauseChanged(int iteration, boolean paused) implements TrainingEvent {}

    /**
     * Something the user should know that is not an error (e.g. rolled back after a NaN, lowered the learning rate).
     *
     * @param iteration the iteration
     * @param message the message
     */
    record Notice(int iteration, String message) implements TrainingEvent {}

    /**
     * The learning rate in force: sent when the run starts (a resumed run's is its checkpoint's unless one was
     * given), and whenever it changes (set by the user, lowered by a roll-back).
     *
     * @param iteration the iteration it applies from
     * @param learningRate the rate
     */
    record LearningRateChanged(int iteration, double learningRate) implements TrainingEvent {}

    /**
     * The run went back to an earlier checkpoint after a numeric blow-up or a collapse: the steps after it are
     * discarded, and the weights and rate below are what the engine uses from now on.
     *
     * @param iteration the iteration it went back to
     * @param failedAt the iteration whose step failed
     * @param weights the loss weights now in force (the checkpoint's)
     * @param learningRate the learning rate now in force (lowered)
     * @param nan true after NaN or infinite losses, false after a collapsed output
     */
    record RolledBack(int iteration, int failedAt, LossWeights weights, double learningRate, boolean nan)
            implements TrainingEvent {}

    /**
     * What a starting run is doing before its first step is done (reading the data can take a minute).
     *
     * @param iteration the iteration the run starts from
     * @param stage the stage it has reached
     */
    record Preparing(int iteration, Stage stage) implements TrainingEvent {}

    /** The stages of a run's start, in order. */
    enum Stage {
        /** Reading the photos (and cartoons), finding the faces to crop. */
        READING_DATA("reading the photos and finding their faces"),
        /** Loading the networks (generator, discriminators, content and landmark networks). */
        LOADING_NETWORKS("loading the networks"),
        /** The first step: slower than the ones after it while the engine warms up. */
        FIRST_STEP("first step (the first steps are slower while the engine warms up)");

        private final String text;

        Stage(String text) {
            this.text = text;
        }

        /** @return what it is doing, in a user's words (English; the studio has its own texts) */
        public String text() {
            return text;
        }
    }

    /**
     * The run ended normally or was stopped.
     *
     * @param iteration the last completed iteration
     * @param lastCheckpoint the newest checkpoint, or null
     * @param cancelled true when stopped by the user
     */
    record RunFinished(int iteration, Path lastCheckpoint, boolean cancelled) implements TrainingEvent {}

    /**
     * The run failed; the newest checkpoint is intact.
     *
     * @param iteration the last completed iteration
     * @param message a clear message for the user, with what to try
     */
    record RunFailed(int iteration, String message) implements TrainingEvent {}
}
