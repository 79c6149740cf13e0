package io.github.facetoon.engine;

import java.nio.file.Path;

/** Which model turns a photo into a cartoon. */
public sealed interface ModelChoice {

    /** A short label for the UI and logs. */
    String label();

    /** The default generator shipped in the application's {@code checkpoints/} folder. */
    record Bundled() implements ModelChoice {
        @Override
        public String label() {
            return "bundled default model";
        }
    }

    /**
     * A generator checkpoint written by a training run.
     *
     * @param path the checkpoint file
     */
    record Checkpoint(Path path) implements ModelChoice {
        @Override
        public String label() {
            return "checkpoint " + path.getFileName();
        }
    }

    /** The classic cartoon filter (guided-filter surface, superpixel structure, edges): needs no network. */
    record Classic() implements ModelChoice {
        @Override
        public String label() {
            return "classic filter (no model)";
        }
    }
}
