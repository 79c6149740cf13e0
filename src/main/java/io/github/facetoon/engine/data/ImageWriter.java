package io.github.facetoon.engine.data;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Writes PNG, JPEG or WebP files atomically: the encoded bytes go to a hidden temporary file in the target's
 * folder, are flushed to disk, and only then renamed onto the target. A failure at any point leaves no partial
 * file behind, and an existing target keeps its old content. It refuses to write over the input images it is given.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageWriter {

    /** Writes the encoded bytes to a temporary file; a seam for tests that simulate a full disk. */
    interface ByteSink {
        void write(Path temp, byte[] bytes) throws IOException;
    }

    private static final ByteSink DURABLE_SINK = (temp, bytes) -> {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    };

    private static final int MAX_NAME_TRIES = 10_000;

    private final int jpegQuality;
    private final int webpQuality;
    private final ByteSink sink;

    /** A writer with JPEG and WebP quality 95. */
    public ImageWriter() {
        this(95, 95);
    }

    /**
     * A writer with chosen qualities.
     *
     * @param jpegQuality 1..100
     * @param webpQuality 1..100; above 100 writes lossless WebP
     */
    public ImageWriter(int jpegQuality, int webpQuality) {
        this(jpegQuality, webpQuality, DURABLE_SINK);
    }

    ImageWriter(int jpegQuality, int webpQuality, ByteSink sink) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + jpegQuality);
        }
        if (webpQuality < 1 || webpQuality > 101) {
            throw new IllegalArgumentException("WebP quality must be in 1..101, got " + webpQuality);
        }
        this.jpegQuality = jpegQuality;
        this.webpQuality = webpQuality;
        this.sink = sink;
    }

    /**
     * Writes an image, replacing the target if it exists.
     *
     * @param image an 8-bit Mat with 1, 3 (BGR) or 4 (BGRA) channels
     * @param target a .png, .jpg, .jpeg or .webp path whose folder exists
     * @throws IOException when the image cannot be encoded or written; no partial file is left
     */
    public void write(Mat image, Path target) throws IOException {
        write(image, target, List.of());
    }

    /**
     * Writes an image, replacing the target if it exists, unless the target is one of the inputs.
     *
     * @param image an 8-bit Mat with 1, 3 (BGR) or 4 (BGRA) channels
     * @param target a .png, .jpg, .jpeg or .webp path whose folder exists
     * @param inputs files that must never be overwritten (the images the output was made from)
     * @throws IOException when the target is an input, or the image cannot be encoded or written; no partial file is left
     */
    public void write(Mat image, Path target, Collection<Path> inputs) throws IOException {
        refuseInputs(target, inputs);
        if (Files.isDirectory(target)) {
            throw new IOException(ImageReader.displayName(target) + ": is a folder, cannot write an image over it");
        }
        byte[] bytes = encode(image, target);
        Path temp = writeTemp(target, bytes);
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes an image under a name that does not clash with an existing file: {@code name}, else
     * {@code name-1}, {@code name-2}, ... before the extension. An existing file is never replaced, even by a
     * file created by someone else at the same moment.
     *
     * @param image an 8-bit Mat with 1, 3 (BGR) or 4 (BGRA) channels
     * @param folder the output folder (it must exist)
     * @param name a file name, or a relative path that stays inside {@code folder}
     * @return the file written
     * @throws IOException when the image cannot be encoded or written; no partial file is left
     * @throws IllegalArgumentException when the name is absolute or leaves the folder
     */
    public Path writeNew(Mat image, Path folder, String name) throws IOException {
        Path first = resolveInside(folder, name);
        byte[] bytes = encode(image, first);
        Path temp = writeTemp(first, bytes);
        try {
            for (int i = 0; i < MAX_NAME_TRIES; i++) {
                Path candidate = numbered(first, i);
                if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    Files.createLink(candidate, temp); // atomic and never replaces: fails if the name was taken
                    return candidate;
                } catch (FileAlreadyExistsException e) {
                    // taken between the check and the link: try the next name
                } catch (UnsupportedOperationException | IOException e) {
                    // no hard links on this file system: a plain rename (the tiny race is accepted here)
                    if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(temp, candidate);
                        return candidate;
                    }
                }
            }
            throw new IOException(ImageReader.displayName(first) + ": no free name after " + MAX_NAME_TRIES + " tries");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Resolves a user-given output name inside a folder, refusing names that would land outside it.
     *
     * @param folder the output folder
     * @param name a file name, or a relative path such as {@code "faces/out.png"}
     * @return the normalised path inside {@code folder}
     * @throws IllegalArgumentException when the name is empty, absolute, contains {@code ..}, a backslash or NUL,
     *     or leads outside the folder through a symbolic link
     */
    public static Path resolveInside(Path folder, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the output name is empty");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("'" + name + "': output names must not contain '\\' or NUL characters");
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new IllegalArgumentException("'" + name + "': absolute paths are not allowed as output names");
        }
        Path relative = folder.getFileSystem().getPath(name);
        if (relative.isAbsolute()) {
            throw new IllegalArgumentException("'" + name + "': absolute paths are not allowed as output names");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException("'" + name + "': '..' would leave the output folder");
            }
        }
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new IllegalArgumentException("'" + name + "': not a file inside the output folder");
        }
        // A symbolic link inside the folder must not lead outside it either.
        try {
            Path realBase = base.toRealPath();
            Path existing = resolved.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !existing.toRealPath().startsWith(realBase)) {
                throw new IllegalArgumentException("'" + name + "': leads outside the output folder through a link");
            }
        } catch (IOException e) {
            // the folder does not exist (yet): nothing on disk can redirect the name
        }
        return resolved;
    }

    /**
     * The first free name for {@code name} inside {@code folder} ({@code photo.png}, {@code photo-1.png}, ...).
     * Another program may take it before it is written; {@link #writeNew} is the race-free way to write.
     *
     * @param folder the output folder
     * @param name a file name, or a relative path that stays inside {@code folder}
     * @return a path that did not exist when checked
     * @throws IOException when no free name is found
     * @throws IllegalArgumentException when the name is absolute or leaves the folder
     */
    public static Path uniqueName(Path folder, String name) throws IOException {
        Path first = resolveInside(folder, name);
        for (int i = 0; i < MAX_NAME_TRIES; i++) {
            Path candidate = numbered(first, i);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        throw new IOException(ImageReader.displayName(first) + ": no free name after " + MAX_NAME_TRIES + " tries");
    }

    private static Path numbered(Path first, int i) {
        if (i == 0) {
            return first;
        }
        String file = first.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        return first.resolveSibling(stem + "-" + i + ext);
    }

    private static void refuseInputs(Path target, Collection<Path> inputs) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        for (Path input : inputs) {
            Path in = input.toAbsolutePath().normalize();
            boolean same = t.equals(in);
            if (!same && Files.exists(target) && Files.exists(input)) {
                same = Files.isSameFile(target, input);
            }
            if (same) {
                throw new IOException(ImageReader.displayName(target) + ": is one of the input images; refusing to overwrite it");
            }
        }
    }

    private byte[] encode(Mat image, Path target) throws IOException {
        String name = ImageReader.displayName(target);
        String ext = extension(name);
        MatOfInt params;
        if (ext.equals("png")) {
            params = new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 3);
        } else if (ext.equals("jpg") || ext.equals("jpeg")) {
            params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality);
        } else if (ext.equals("webp")) {
            params = new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, webpQuality);
        } else {
            throw new IOException(name + ": can only write .png, .jpg, .jpeg or .webp files");
        }
        if (image == null || image.empty() || image.depth() != CvType.CV_8U
                || (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
            params.release();
            throw new IOException(name + ": nothing to write (expected a non-empty 8-bit image with 1, 3 or 4 channels)");
        }
        OpenCvRuntime.ensureLoaded();
        MatOfByte out = new MatOfByte();
        try {
            boolean ok;
            try {
                ok = Imgcodecs.imencode("." + (ext.equals("jpeg") ? "jpg" : ext), image, out, params);
            } catch (RuntimeException e) {
                throw new IOException(name + ": the image could not be encoded (" + ImageReader.oneLine(e) + ")", e);
            }
            if (!ok || out.empty()) {
                throw new IOException(name + ": the image could not be encoded");
            }
            return out.toArray();
        } finally {
            out.release();
            params.release();
        }
    }

    private Path writeTemp(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(ImageReader.displayName(target) + ": the output folder does not exist");
        }
        // Hidden (leading dot), so a folder scan never picks up a file still being written.
        String stem = ImageReader.displayName(target);
        stem = stem.length() > 40 ? stem.substring(0, 40) : stem; // stay well under file-name length limits
        Path temp = OutputFiles.temporaryBeside(dir, stem, ".part");
        try {
            sink.write(temp, bytes);
            return temp;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
