package io.github.facetoon.engine;

/**
 * How a photo is cartoonized.
 *
 * @param maxShortSide the cartoon's short side is at most this many pixels, {@link #ORIGINAL} for the photo's own
 *     size; a larger photo is shrunk to it first (the network itself always works at its model's trained scale)
 * @param strength 0 reproduces the photo (the model's base generator), 1 is the model as trained, up to
 *     {@link #MAX_STRENGTH}
 */
public record CartoonOptions(int maxShortSide, double strength) {

    /** No size limit: the cartoon has the photo's own size. */
    public static final int ORIGINAL = 0;
    /** Short side of a 4K (2160p) picture. */
    public static final int UHD_4K = 2160;
    /** Short side of a 1080p picture. */
    public static final int FULL_HD = 1080;
    /** Short side of a 720p picture. */
    public static final int HD = 720;
    /** The largest strength accepted (beyond about 1.5 most models stop looking right). */
    public static final double MAX_STRENGTH = io.github.facetoon.engine.infer.Cartoonizer.MAX_STRENGTH;

    /** Validates the options. */
    public CartoonOptions {
        if (maxShortSide != ORIGINAL && maxShortSide < 8) {
            throw new IllegalArgumentException("the size limit must be at least 8 pixels (or the original size), got "
                    + maxShortSide);
        }
        if (!(strength >= 0 && strength <= MAX_STRENGTH)) {
            throw new IllegalArgumentException("the strength must be between 0 and " + MAX_STRENGTH + ", got " + strength);
        }
    }

    /** The photo's own size at strength 1. */
    public static CartoonOptions defaults() {
        return new CartoonOptions(ORIGINAL, 1.0);
    }

    /**
     * A copy with another size limit.
     *
     * @param side the short-side limit or {@link #ORIGINAL}
     * @return the options
     */
    public CartoonOptions withMaxShortSide(int side) {
        return new CartoonOptions(side, strength);
    }

    /**
     * A copy with another strength.
     *
     * @param s the strength
     * @return the options
     */
    public CartoonOptions withStrength(double s) {
        return new CartoonOptions(maxShortSide, s);
    }
}
