package io.github.facetoon.engine;

/** Opens the engine: the one place where the real {@link StudioEngine} is chosen. */
public final class StudioEngines {

    private StudioEngines() {}

    /**
     * Opens the engine on a workspace and device.
     *
     * @param workspace where runs and checkpoints go
     * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the engine; close it when done
     */
    public static StudioEngine open(Workspace workspace, String device) {
        return new DefaultStudioEngine(workspace, device);
    }
}
