package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** Loads test images from the class path. */
final class TestResources {

    private TestResources() {}

    /**
     * Reads a class-path image as 8-bit BGR.
     *
     * @param resource e.g. "/faces/astronaut.png"
     * @param tmp a temporary folder
     * @return the image; the caller releases it
     */
    static Mat read(String resource, Path tmp) throws IOException {
        OpenCvRuntime.ensureLoaded();
        Path file = copy(resource, tmp);
        Mat m = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_COLOR);
        if (m.empty()) {
            throw new IOException("cannot decode " + resource);
        }
        return m;
    }

    /**
     * Copies a class-path resource to a file.
     *
     * @param resource the resource
     * @param tmp a temporary folder
     * @return the file
     */
    static Path copy(String resource, Path tmp) throws IOException {
        Path file = tmp.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = TestResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
