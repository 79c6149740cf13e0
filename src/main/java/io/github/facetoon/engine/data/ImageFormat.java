package io.github.facetoon.engine.data;

/** The raster formats the reader accepts, recognised by their first bytes, never by the file name. */
public enum ImageFormat {
    /** Portable Network Graphics (also APNG: its first frame). */
    PNG("PNG"),
    /** JPEG / JFIF / EXIF, baseline, progressive, grey or CMYK. */
    JPEG("JPEG"),
    /** GIF; an animation gives its first frame. */
    GIF("GIF"),
    /** Windows bitmap. */
    BMP("BMP"),
    /** WebP, lossy (VP8), lossless (VP8L) or extended (VP8X). */
    WEBP("WebP"),
    /** TIFF and BigTIFF; a multi-page file gives its first page. */
    TIFF("TIFF");

    private final String displayName;

    ImageFormat(String displayName) {
        this.displayName = displayName;
    }

    /**
     * The name used in messages.
     *
     * @return for example {@code "WebP"}
     */
    public String displayName() {
        return displayName;
    }
}
