package io.github.facetoon.app.common;

import io.github.facetoon.engine.vision.PixelImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes images as PNG files, never over an existing file. */
public final class PngFiles {

    private PngFiles() {}

    /**
     * Chooses a free file name in a folder: {@code <stem>-cartoon.png}, then {@code <stem>-cartoon-2.png}, ...
     *
     * @param folder the target folder
     * @param source the input photo (its name gives the stem; the result is never this file)
     * @param suffix text after the stem, e.g. "-cartoon"
     * @return a path that does not exist yet
     */
    public static Path freeName(Path folder, Path source, String suffix) {
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path candidate = folder.resolve(stem + suffix + ".png");
        for (int i = 2; Files.exists(candidate) || sameFile(candidate, source); i++) {
            candidate = folder.resolve(stem + suffix + "-" + i + ".png");
        }
        return candidate;
    }

    /**
     * Writes an image as PNG to a file that must not exist yet.
     *
     * @param image the image
     * @param file the target
     * @throws IOException when the file exists or cannot be written
     */
    public static void write(PixelImage image, Path file) throws IOException {
        if (Files.exists(file)) {
            throw new IOException("will not overwrite " + file);
        }
        BufferedImage img = toBufferedImage(image);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Copies pixels into an AWT image (for PNG writing and tests).
     *
     * @param image the pixels
     * @return a new ARGB image
     */
    public static BufferedImage toBufferedImage(PixelImage image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, image.width(), image.height(), image.argb(), 0, image.width());
        return img;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
