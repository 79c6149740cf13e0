package io.github.facetoon.cli;

import io.github.facetoon.engine.Workspace;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every engine command shares (the original project's flag names where it has them). */
public final class SharedOptions {

    @Option(names = "--batch_size", paramLabel = "N", description = "Images per training step (default: ${DEFAULT-VALUE}).",
            defaultValue = "16")
    int batchSize;

    @Option(names = "--image_size", paramLabel = "PX",
            description = "Training/test crop size in pixels, a multiple of 8 (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int imageSize;

    @Option(names = "--device", paramLabel = "DEV",
            description = "auto (GPU when DJL sees one, else CPU), cpu, gpu or gpu:N; for train also gpus or gpu:0,1 "
                + "(data-parallel across those GPUs) (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String device;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where runs and checkpoints go (default: $FACETOON_WORKSPACE or the per-user data folder).")
    Path workspace;

    @Option(names = "--save_every", paramLabel = "N", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int saveEvery;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    /** The workspace to use. */
    Workspace workspace() {
        return workspace != null ? new Workspace(workspace) : Workspace.defaultWorkspace();
    }
}
