package io.github.facetoon.app.common;

import java.nio.file.Path;

/**
 * Where the studio finds its shipped files: {@code assets/} and {@code checkpoints/} next to the working folder,
 * or where the {@code facetoon.assets} and {@code facetoon.checkpoints} system properties point.
 */
public final class AppPaths {

    private AppPaths() {}

    /** The assets folder (sample photos, models, provenance notes). */
    public static Path assets() {
        return Path.of(System.getProperty("facetoon.assets", "assets"));
    }

    /** The folder of bundled checkpoints. */
    public static Path checkpoints() {
        return Path.of(System.getProperty("facetoon.checkpoints", "checkpoints"));
    }

    /** The sample photos shown on first start. */
    public static Path samples() {
        return assets().resolve("samples");
    }

    /** The licence and provenance notes of the shipped weights. */
    public static Path provenance() {
        return assets().resolve("models").resolve("PROVENANCE.md");
    }
}
