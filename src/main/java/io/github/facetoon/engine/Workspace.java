package io.github.facetoon.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-user folder where runs, checkpoints and logs go; never inside the installation.
 *
 * <p>Default: {@code $FACETOON_WORKSPACE} if set; else {@code $XDG_DATA_HOME/facetoon} or
 * {@code ~/.local/share/facetoon} on Linux, {@code ~/Library/Application Support/FaceToon} on macOS and
 * {@code %APPDATA%\FaceToon} on Windows.
 *
 * @param root the workspace folder
 */
public record Workspace(Path root) {

    /** Normalises the root to an absolute path. */
    public Workspace {
        root = root.toAbsolutePath().normalize();
    }

    /** The default workspace of the current user. */
    public static Workspace defaultWorkspace() {
        return new Workspace(defaultRoot());
    }

    /** The default workspace folder of the current user (not created). */
    public static Path defaultRoot() {
        String env = System.getenv("FACETOON_WORKSPACE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path home = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return (appData != null ? Path.of(appData) : home.resolve("AppData").resolve("Roaming")).resolve("FaceToon");
        }
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("FaceToon");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("facetoon");
    }

    /** The folder holding one sub-folder per model version. */
    public Path runs() {
        return root.resolve("runs");
    }

    /**
     * The folder of one model version's run.
     *
     * @param modelVersion the seed's {@code --model_version}
     * @return the folder (not created)
     */
    public Path run(String modelVersion) {
        return runs().resolve(modelVersion);
    }

    /**
     * The checkpoint a run saved at an iteration (the original project's {@code test.py --batch N}).
     *
     * @param modelVersion the run
     * @param iteration the iteration
     * @return the file
     * @throws IOException when the run has no checkpoint there; the message lists the iterations it has
     */
    public Path checkpoint(String modelVersion, int iteration) throws IOException {
        io.github.facetoon.engine.train.CheckpointStore store =
                new io.github.facetoon.engine.train.CheckpointStore(run(modelVersion), 5, 0);
        Path file = store.pathFor(iteration);
        if (Files.exists(file)) {
            return file;
        }
        java.util.List<String> have = new java.util.ArrayList<>();
        for (Path p : store.list()) {
            have.add(String.valueOf(io.github.facetoon.engine.train.CheckpointStore.iterationOf(p).orElse(-1)));
        }
        throw new java.nio.file.NoSuchFileException(store.folder().toString(), null, "no checkpoint at iteration "
                + iteration + " for model version '" + modelVersion + "' in " + store.folder()
                + (have.isEmpty() ? " (the run has none)" : " (available: " + String.join(", ", have) + ")"));
    }

    /** The folder for log files. */
    public Path logs() {
        return root.resolve("logs");
    }

    /**
     * Creates the workspace folders if missing.
     *
     * @return this
     * @throws IOException when the folders cannot be created (the message names the folder)
     */
    public Workspace create() throws IOException {
        try {
            Files.createDirectories(runs());
            Files.createDirectories(logs());
        } catch (IOException e) {
            throw new IOException("cannot create the workspace folder " + root + ": " + e.getMessage(), e);
        }
        return this;
    }
}
