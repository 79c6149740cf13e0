package io.github.facetoon.engine.train;

import java.nio.file.Path;

/**
 * A training that does not resume was asked to write into a run that already has checkpoints; nothing was written.
 * The caller resumes the run, picks {@link #freeName()}, or moves the old run to the trash first.
 */
public final class RunExistsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient Path folder;
    private final int newestIteration;
    private final String freeName;

    /**
     * Creates the exception.
     *
     * @param name the run's name
     * @param folder its folder
     * @param newestIteration the iteration of its newest checkpoint
     * @param freeName a name that is free
     */
    public RunExistsException(String name, Path folder, int newestIteration, String freeName) {
        super("the run '" + name + "' already has checkpoints (the newest at iteration " + newestIteration + ") in "
                + folder + ": resume it, or start a new run under a free name such as '" + freeName + "'");
        this.name = name;
        this.folder = folder;
        this.newestIteration = newestIteration;
        this.freeName = freeName;
    }

    /** The run's name. */
    public String name() {
        return name;
    }

    /** The run's folder. */
    public Path folder() {
        return folder;
    }

    /** The iteration of the run's newest checkpoint. */
    public int newestIteration() {
        return newestIteration;
    }

    /** A free run name next to this one. */
    public String freeName() {
        return freeName;
    }
}
