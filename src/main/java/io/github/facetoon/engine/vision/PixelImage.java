package io.github.facetoon.engine.vision;

/**
 * An immutable ARGB image: the only image type that leaves the engine (for previews, the viewer, the CLI).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param argb pixels, row-major, 0xAARRGGBB; not copied on access, so never modify it
 */
public record PixelImage(int width, int height, int[] argb) {

    /** Validates the dimensions and takes a private copy of the pixels. */
    public PixelImage {
        if (width <= 0 || height <= 0 || argb == null || argb.length != width * height) {
            throw new IllegalArgumentException("bad image: " + width + "x" + height);
        }
        argb = argb.clone();
    }

    /**
     * Returns one pixel.
     *
     * @param x column
     * @param y row
     * @return 0xAARRGGBB
     */
    public int get(int x, int y) {
        return argb[y * width + x];
    }
}
