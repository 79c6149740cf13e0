package io.github.facetoon.cli;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every engine command shares (the original project's flag names where it has them). */
public final class SharedOptions {

    @Option(names = "--image_size", paramLabel = "PX",
            description = "Training/test crop size in pixels, a multiple of 8 (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + TrainingConfig.DEFAULT_IMAGE_SIZE)
    int imageSize;

    @Option(names = "--device", paramLabel = "DEV",
            description = "auto (GPU when DJL sees one, else CPU), cpu, gpu or gpu:N; for train also gpus or gpu:0,1 "
                + "(data-parallel across those GPUs) (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String device;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where runs and checkpoints go (default: $FACETOON_WORKSPACE or the per-user data folder).")
    Path workspace;

    /** The workspace to use. */
    Workspace workspace() {
        return workspace != null ? new Workspace(workspace) : Workspace.defaultWorkspace();
    }
}
