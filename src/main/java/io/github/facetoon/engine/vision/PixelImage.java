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
     * Stacks images top to bottom, left-aligned, on a background colour (rows of a contact sheet).
     *
     * @param rows the images, at least one
     * @param background the ARGB colour right of narrower rows
     * @return one image as wide as the widest row
     */
    public static PixelImage stack(java.util.List<PixelImage> rows, int background) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to stack");
        }
        int width = rows.stream().mapToInt(PixelImage::width).max().orElseThrow();
        int height = rows.stream().mapToInt(PixelImage::height).sum();
        int[] out = new int[width * height];
        java.util.Arrays.fill(out, background);
        int y0 = 0;
        for (PixelImage r : rows) {
            for (int y = 0; y < r.height(); y++) {
                System.arraycopy(r.argb(), y * r.width(), out, (y0 + y) * width, r.width());
            }
            y0 += r.height();
        }
        return new PixelImage(width, height, out);
    }

    /**
     * Places images side by side, left to right, top-aligned, on a background colour (the columns of a sheet's row).
     *
     * @param columns the images, at least one
     * @param background the ARGB colour below shorter images
     * @return one image as tall as the tallest
     */
    public static PixelImage beside(java.util.List<PixelImage> columns, int background) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("nothing to place");
        }
        int width = columns.stream().mapToInt(PixelImage::width).sum();
        int height = columns.stream().mapToInt(PixelImage::height).max().orElseThrow();
        int[] out = new int[width * height];
        java.util.Arrays.fill(out, background);
        int x0 = 0;
        for (PixelImage c : columns) {
            for (int y = 0; y < c.height(); y++) {
                System.arraycopy(c.argb(), y * c.width(), out, y * width + x0, c.width());
            }
            x0 += c.width();
        }
        return new PixelImage(width, height, out);
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
