package io.github.facetoon.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image that could not be read. The message is one line, {@code "<file name>: <reason>"}, fit to show a user
 * as it is, for example {@code "photo.jpg: truncated JPEG data"}.
 */
public class UnreadableImageException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param file the file (or a name standing for it when the image came from memory), may be null
     * @param name the name shown in the message
     * @param reason why it could not be read, one line, no trailing period
     * @param cause the underlying failure, or null
     */
    public UnreadableImageException(Path file, String name, String reason, Throwable cause) {
        super(name + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /**
     * The file that could not be read.
     *
     * @return the path, or null when the image came from memory
     */
    public Path file() {
        return file;
    }

    /**
     * The reason without the file name.
     *
     * @return one line
     */
    public String reason() {
        return reason;
    }
}
