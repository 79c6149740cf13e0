package io.github.facetoon.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** What every file FaceToon writes for the user has in common. */
public final class OutputFiles {

    private OutputFiles() {}

    /**
     * A temporary file beside a target, to be renamed over it when complete: hidden (a folder scan never picks it
     * up), and readable by others like any file the user makes (rw-r--r-- where the file system has POSIX
     * permissions; {@link Files#createTempFile} alone gives rw-------, so a cartoon could not be served or shared).
     *
     * @param dir the target's folder
     * @param stem the start of the name (after the dot)
     * @param suffix the end of the name
     * @return the new empty file
     * @throws IOException when it cannot be created
     */
    public static Path temporaryBeside(Path dir, String stem, String suffix) throws IOException {
        return shareable(Files.createTempFile(dir, "." + stem + ".", suffix));
    }

    /**
     * Makes a file readable by others (rw-r--r--) where the file system has POSIX permissions.
     *
     * @param file a file FaceToon created
     * @return the file
     * @throws IOException when the permissions cannot be set
     */
    public static Path shareable(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return file;
    }
}
