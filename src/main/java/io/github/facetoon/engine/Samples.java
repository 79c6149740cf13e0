package io.github.facetoon.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The sample photos shipped with the application (public domain / CC0; see {@code assets/samples/README.md}). */
public final class Samples {

    /** The sample file names, in display order. */
    public static final List<String> NAMES = List.of("astronaut.png", "camera.png");
    private static final String FOLDER = "/assets/samples/";

    private Samples() {}

    /**
     * Copies the sample photos into a folder (created if needed).
     *
     * @param dir the folder
     * @return the copied files; empty when the build has no samples
     * @throws IOException when a copy fails
     */
    public static List<Path> copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String name : NAMES) {
            try (InputStream in = Samples.class.getResourceAsStream(FOLDER + name)) {
                if (in != null) {
                    Path p = dir.resolve(name);
                    Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                    out.add(p);
                }
            }
        }
        return out;
    }
}
