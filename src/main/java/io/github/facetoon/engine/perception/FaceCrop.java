package io.github.facetoon.engine.perception;

/**
 * A square face crop in image pixel coordinates, and the mapping between crop coordinates ([0,1] across the crop,
 * as the landmark net outputs them) and image coordinates.
 *
 * <p>Image coordinates are continuous: (0,0) is the top-left corner of the top-left pixel. The crop may extend past
 * the image borders; the pixels there are black (as face-api pads).
 *
 * @param x left edge
 * @param y top edge
 * @param size side length, positive
 */
public record FaceCrop(double x, double y, double size) {

    /** Validates the size. */
    public FaceCrop {
        if (!(size > 0) || !Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(size)) {
            throw new IllegalArgumentException("bad crop: x=" + x + " y=" + y + " size=" + size);
        }
    }

    /**
     * The square with the given centre and side.
     *
     * @param centerX centre x
     * @param centerY centre y
     * @param size side length
     * @return the crop
     */
    public static FaceCrop centered(double centerX, double centerY, double size) {
        return new FaceCrop(centerX - size / 2, centerY - size / 2, size);
    }

    /**
     * Maps crop coordinates to image coordinates.
     *
     * @param crop (x,y) pairs in [0,1] crop coordinates, interleaved
     * @return (x,y) pairs in image pixels, interleaved
     */
    public double[] toImage(double[] crop) {
        double[] out = new double[crop.length];
        for (int i = 0; i < crop.length; i += 2) {
            out[i] = x + crop[i] * size;
            out[i + 1] = y + crop[i + 1] * size;
        }
        return out;
    }

    /**
     * Maps image coordinates to crop coordinates.
     *
     * @param image (x,y) pairs in image pixels, interleaved
     * @return (x,y) pairs in [0,1] crop coordinates (outside [0,1] when outside the crop), interleaved
     */
    public double[] toCrop(double[] image) {
        double[] out = new double[image.length];
        for (int i = 0; i < image.length; i += 2) {
            out[i] = (image[i] - x) / size;
            out[i + 1] = (image[i + 1] - y) / size;
        }
        return out;
    }

    /**
     * The same square in an image scaled by {@code factor} (coordinates and size multiplied).
     *
     * @param factor the scale, positive
     * @return the scaled crop
     */
    public FaceCrop scaled(double factor) {
        return new FaceCrop(x * factor, y * factor, size * factor);
    }

    /**
     * The same square snapped to whole pixels (as it is cut out of an image).
     *
     * @return a crop with integral x, y and size (at least 1)
     */
    public FaceCrop toPixels() {
        return new FaceCrop(Math.round(x), Math.round(y), Math.max(1, Math.round(size)));
    }

    /** Centre x. */
    public double centerX() {
        return x + size / 2;
    }

    /** Centre y. */
    public double centerY() {
        return y + size / 2;
    }
}
