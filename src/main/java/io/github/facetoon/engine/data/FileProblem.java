package io.github.facetoon.engine.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or folder that was skipped, and why.
 *
 * @param file the file or folder
 * @param reason one line, without the file name
 */
public record FileProblem(Path file, String reason) {

    /** Checks that both parts are present. */
    public FileProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * One line for a user: {@code "<file name>: <reason>"}.
     *
     * @return the line
     */
    public String message() {
        Path name = file.getFileName();
        return (name == null ? file.toString() : name.toString()) + ": " + reason;
    }
}
