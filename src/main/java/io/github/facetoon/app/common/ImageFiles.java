package io.github.facetoon.app.common;

import io.github.facetoon.engine.data.ImageFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Finding image files in folders and telling a readable image header from a broken file, without decoding. */
public final class ImageFiles {

    /** File extensions treated as images: the engine's, so the studio counts what training reads. */
    public static final Set<String> EXTENSIONS = ImageFolder.EXTENSIONS;

    private ImageFiles() {}

    /**
     * Returns whether a file name has an image extension.
     *
     * @param file the file
     * @return true for jpg, png, ...
     */
    public static boolean hasImageExtension(Path file) {
        return ImageFolder.hasImageExtension(file);
    }

    /**
     * Expands files and folders (recursively) to the image files, then the videos, they hold, sorted by path; other files are
     * returned as they are, so the caller can report them.
     *
     * @param paths dropped or chosen files and folders
     * @return image files and non-image files given directly
     * @throws IOException when a folder cannot be read
     */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> media = ImageFolder.scan(p, f -> hasImageExtension(f)
                        || io.github.facetoon.engine.video.VideoFormats.isVideo(f)).images();
                media.stream().filter(ImageFiles::hasImageExtension).forEach(out::add);
                media.stream().filter(f -> !hasImageExtension(f)).forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Lists the image files under a folder as training and the command line see them ({@link ImageFolder#scan}:
     * recursively, hidden files and folders left out, links followed, each file once, sorted by path).
     *
     * @param folder the folder
     * @return the image files
     * @throws IOException when the folder cannot be read
     */
    public static List<Path> imagesIn(Path folder) throws IOException {
        return ImageFolder.scan(folder).images();
    }

    /**
     * Checks a file's first bytes against the image formats' signatures: cheap enough for thousands of files.
     *
     * @param file the file
     * @return null when the header looks like an image, else the reason it does not
     */
    public static String headerProblem(Path file) {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        if (n == 0) {
            return "empty file";
        }
        if (n >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return null; // JPEG
        }
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return null;
        }
        if (n >= 2 && head[0] == 'B' && head[1] == 'M') {
            return null;
        }
        if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return null;
        }
        if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42) || (head[0] == 'M' && head[1] == 'M'
                && head[3] == 42))) {
            return null; // TIFF
        }
        return "not an image (unknown file header)";
    }
}
