package io.github.facetoon.engine.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the image files in a folder tree. It follows symbolic links (and survives loops), skips hidden files and
 * folders (names starting with a dot), lists each file once even when links reach it twice, and sorts the result
 * by relative path so two scans of the same tree give the same order on any machine.
 */
public final class ImageFolder {

    /** The file extensions scanned for, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff");

    private ImageFolder() {}

    /**
     * The outcome of a scan.
     *
     * @param root the folder scanned
     * @param images the image files, sorted by their path relative to the root
     * @param problems files and folders that could not be entered or read, sorted the same way
     */
    public record Scan(Path root, List<Path> images, List<FileProblem> problems) {

        /** Makes the lists unmodifiable. */
        public Scan {
            images = List.copyOf(images);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Whether a file name has one of the scanned image extensions (any case).
     *
     * @param file a path
     * @return true for {@code .jpg}, {@code .JPEG}, {@code .png}, ...
     */
    public static boolean hasImageExtension(Path file) {
        Path n = file.getFileName();
        if (n == null) {
            return false;
        }
        String name = n.toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Scans a folder tree.
     *
     * @param root the folder
     * @return the images and the problems met on the way
     * @throws IOException when the root itself is missing or not a folder (the message is {@code "<path>: <reason>"})
     */
    public static Scan scan(Path root) throws IOException {
        return scan(root, ImageFolder::hasImageExtension);
    }

    /**
     * Scans a folder tree for the files a caller wants (photos and videos, say), by the same rules: hidden files and
     * folders left out, links followed, each file once, sorted by path.
     *
     * @param root the folder
     * @param wanted which files to list, by name
     * @return the files and the problems met on the way
     * @throws IOException when the root itself is missing or not a folder (the message is {@code "<path>: <reason>"})
     */
    public static Scan scan(Path root, java.util.function.Predicate<Path> wanted) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "folder not found");
        }
        if (!Files.isDirectory(root)) {
            throw new FileSystemException(root.toString(), null, "is a file, not a folder");
        }
        List<Found> found = new ArrayList<>();
        List<FileProblem> problems = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (isHidden(file)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    // Links are followed, so a link reported as such points nowhere.
                    if (wanted.test(file)) {
                        problems.add(new FileProblem(file, "broken symbolic link"));
                    }
                } else if (attrs.isRegularFile() && wanted.test(file)) {
                    found.add(new Found(file, attrs.fileKey()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                if (isHidden(file)) {
                    return FileVisitResult.CONTINUE;
                }
                String reason;
                if (exc instanceof FileSystemLoopException) {
                    reason = "symbolic link loop, not followed";
                } else if (exc instanceof AccessDeniedException) {
                    reason = "permission denied";
                } else if (exc instanceof NoSuchFileException) {
                    reason = "disappeared during the scan";
                } else {
                    reason = "cannot be read (" + ImageReader.oneLine(exc) + ")";
                }
                problems.add(new FileProblem(file, reason));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                if (exc != null && !dir.equals(root)) {
                    problems.add(new FileProblem(dir, "folder could not be listed completely (" + ImageReader.oneLine(exc) + ")"));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Comparator<Path> byRelative = Comparator.comparing(p -> relativeKey(root, p));
        found.sort(Comparator.comparing(Found::file, byRelative));
        List<Path> images = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Found f : found) {
            if (f.key() == null || seen.add(f.key())) {
                images.add(f.file());
            }
        }
        problems.sort(Comparator.comparing(FileProblem::file, byRelative));
        return new Scan(root, images, problems);
    }

    private static boolean isHidden(Path p) {
        Path n = p.getFileName();
        return n != null && n.toString().startsWith(".");
    }

    /** The path relative to the root with '/' separators: the same sort key on every platform. */
    private static String relativeKey(Path root, Path p) {
        StringBuilder key = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(part);
        }
        return key.toString();
    }

    private record Found(Path file, Object fileKey) {
        Object key() {
            return fileKey;
        }
    }
}
