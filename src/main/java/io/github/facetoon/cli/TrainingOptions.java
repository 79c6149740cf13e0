package io.github.facetoon.cli;

import io.github.facetoon.config.TrainingConfig;
import picocli.CommandLine.Option;

/** Options of the commands that train ({@code pretrain}, {@code train}), with the original project's flag names. */
public final class TrainingOptions {

    @Option(names = "--batch_size", paramLabel = "N", description = "Images per training step (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE)
    int batchSize;

    @Option(names = "--save_every", paramLabel = "N", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + TrainingConfig.DEFAULT_SAVE_EVERY)
    int saveEvery;

    @Option(names = "--keep_last", paramLabel = "N", defaultValue = "" + TrainingConfig.DEFAULT_KEEP_LAST,
            description = "How many of the run's newest checkpoints to keep; older ones go, except every 5,000th "
                + "(default: ${DEFAULT-VALUE}).")
    int keepLast;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "" + TrainingConfig.DEFAULT_SEED)
    long seed;

    @Option(names = "--face_share", paramLabel = "F", defaultValue = "0",
            description = "Share of each batch's photos drawn from the photos in which a face was found, the rest from "
                + "the others (for example 0.5 when faces are a fifth of the photos); 0 draws every photo evenly "
                + "(default: ${DEFAULT-VALUE}).")
    double faceShare;

    /** Sets these options (and the shared crop size) on a configuration. */
    TrainingConfig.Builder apply(TrainingConfig.Builder b, SharedOptions shared) {
        return b.batchSize(batchSize).imageSize(shared.imageSize).saveEvery(saveEvery).seed(seed).keepLast(keepLast)
                .faceShare(faceShare);
    }
}
