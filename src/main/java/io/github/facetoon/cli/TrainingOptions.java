package io.github.facetoon.cli;

import picocli.CommandLine.Option;

/** Options of the commands that train ({@code pretrain}, {@code train}), with the original project's flag names. */
public final class TrainingOptions {

    @Option(names = "--batch_size", paramLabel = "N", description = "Images per training step (default: ${DEFAULT-VALUE}).",
            defaultValue = "16")
    int batchSize;

    @Option(names = "--save_every", paramLabel = "N", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int saveEvery;

    @Option(names = "--keep_last", paramLabel = "N", defaultValue = "5",
            description = "How many of the run's newest checkpoints to keep; older ones go, except every 5,000th "
                + "(default: ${DEFAULT-VALUE}).")
    int keepLast;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;
}
