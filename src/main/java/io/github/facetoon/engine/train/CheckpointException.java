package io.github.facetoon.engine.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be used: missing, damaged, truncated, foreign or from a newer version. */
public final class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file the checkpoint file
     * @param reason why it cannot be used
     */
    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param file the checkpoint file
     * @param reason why it cannot be used
     * @param cause the underlying error
     */
    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
