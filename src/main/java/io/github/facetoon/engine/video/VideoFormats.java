package io.github.facetoon.engine.video;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The video containers FaceToon reads and writes, and the encoders tried for each (the first that opens wins). */
public final class VideoFormats {

    /**
     * A container.
     *
     * @param extension file extension, lower case, without the dot
     * @param muxer FFmpeg's name of the container
     * @param encoders video encoders to try, in order
     * @param pixelFormat the encoder's pixel format (an {@code AV_PIX_FMT_*} name for messages)
     */
    record Container(String extension, String muxer, List<String> encoders, String pixelFormat) {}

    private static final Map<String, Container> BY_EXTENSION = Map.of(
            "mp4", new Container("mp4", "mp4", List.of("libopenh264", "mpeg4"), "yuv420p"),
            "m4v", new Container("m4v", "mp4", List.of("libopenh264", "mpeg4"), "yuv420p"),
            "mov", new Container("mov", "mov", List.of("libopenh264", "mpeg4"), "yuv420p"),
            "mkv", new Container("mkv", "matroska", List.of("libopenh264", "mpeg4"), "yuv420p"),
            "webm", new Container("webm", "webm", List.of("libvpx", "libvpx-vp9"), "yuv420p"),
            "avi", new Container("avi", "avi", List.of("mpeg4"), "yuv420p"),
            "gif", new Container("gif", "gif", List.of("gif"), "bgr8"));

    /** The extensions recognised as videos, lower case. */
    public static final List<String> EXTENSIONS = List.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "gif");

    private VideoFormats() {}

    /**
     * Whether a file is a video by its name (an animated GIF counts; a still GIF is a one-frame video).
     *
     * @param file the file
     * @return true for the extensions of {@link #EXTENSIONS}
     */
    public static boolean isVideo(Path file) {
        return container(file).isPresent();
    }

    static Optional<Container> container(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(BY_EXTENSION.get(name.substring(dot + 1)));
    }
}
