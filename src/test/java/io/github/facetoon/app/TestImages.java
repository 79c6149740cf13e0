package io.github.facetoon.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small image files for tests. */
public final class TestImages {

    private TestImages() {}

    /**
     * Writes a gradient PNG.
     *
     * @param file the target
     * @param w width
     * @param h height
     * @return the file
     * @throws IOException when it cannot be written
     */
    public static Path png(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /**
     * Writes a file with an image name but no image inside.
     *
     * @param file the target
     * @return the file
     * @throws IOException when it cannot be written
     */
    public static Path broken(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "this is not a picture");
        return file;
    }
}
