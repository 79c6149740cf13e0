package io.github.facetoon.app.common;

import java.nio.file.Path;

/** Short names for checkpoint files in lists: the run and the step, not the file name every checkpoint shares. */
public final class CheckpointNames {

    private static final java.util.regex.Pattern ITER = java.util.regex.Pattern.compile("iter-(\\d+)\\.\\w+");

    private CheckpointNames() {}

    /**
     * Names a checkpoint: {@code runs/1/iter-00000500.ftc} becomes {@code 1 · iter 500},
     * {@code runs/1/step-000500/generator.params} becomes {@code 1 · step-000500}; any other file becomes
     * {@code folder/file}.
     *
     * @param file the checkpoint file
     * @return the short name
     */
    public static String shortName(Path file) {
        Path parent = file.getParent();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        java.util.regex.Matcher iter = ITER.matcher(name);
        if (iter.matches()) {
            return (parent != null && parent.getFileName() != null ? parent.getFileName() + " · " : "")
                    + "iter " + Long.parseLong(iter.group(1));
        }
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().startsWith("step-")) {
            Path run = parent.getParent();
            return (run != null && run.getFileName() != null ? run.getFileName() + " · " : "") + parent.getFileName();
        }
        return (parent != null && parent.getFileName() != null ? parent.getFileName() + "/" : "") + file.getFileName();
    }
}
