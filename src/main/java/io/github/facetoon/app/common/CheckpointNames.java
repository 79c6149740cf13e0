package io.github.facetoon.app.common;

import java.nio.file.Path;

/** Short names for checkpoint files in lists: the run and the step, not the file name every checkpoint shares. */
public final class CheckpointNames {

    private CheckpointNames() {}

    /**
     * Names a checkpoint: {@code runs/1/step-000500/generator.params} becomes {@code 1 · step-000500}; any other
     * file becomes {@code folder/file}.
     *
     * @param file the checkpoint file
     * @return the short name
     */
    public static String shortName(Path file) {
        Path parent = file.getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().startsWith("step-")) {
            Path run = parent.getParent();
            return (run != null && run.getFileName() != null ? run.getFileName() + " · " : "") + parent.getFileName();
        }
        return (parent != null && parent.getFileName() != null ? parent.getFileName() + "/" : "") + file.getFileName();
    }
}
