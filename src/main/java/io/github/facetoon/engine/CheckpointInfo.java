package io.github.facetoon.engine;

import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig.Phase;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A checkpoint in the workspace, as listed for the studio and the CLI.
 *
 * @param path the file
 * @param modelVersion the run's model version
 * @param phase pretrain or train
 * @param iteration the iteration it was saved at
 * @param weights the loss weights in force when it was saved
 * @param imageSize the training image size
 * @param saved when it was written
 */
public record CheckpointInfo(Path path, String modelVersion, Phase phase, int iteration, LossWeights weights,
                             int imageSize, Instant saved) {}
