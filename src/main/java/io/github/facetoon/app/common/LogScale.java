package io.github.facetoon.app.common;

/**
 * Maps a slider position in [0,1] to a weight on a log scale, with the bottom end meaning exactly zero
 * (a loss weight of 0 turns the term off, which a log scale alone cannot reach).
 *
 * @param min the smallest non-zero value (at position {@link #ZERO_GAP})
 * @param max the largest value (at position 1)
 */
public record LogScale(double min, double max) {

    /** Positions below this mean zero. */
    public static final double ZERO_GAP = 0.04;

    /** Validates the range. */
    public LogScale {
        if (!(min > 0 && max > min)) {
            throw new IllegalArgumentException("need 0 < min < max, got " + min + ", " + max);
        }
    }

    /**
     * A scale that spans a value by {@code decadesDown} decades below and {@code decadesUp} above.
     *
     * @param center a typical value (> 0)
     * @param decadesDown decades below
     * @param decadesUp decades above
     * @return the scale
     */
    public static LogScale around(double center, int decadesDown, int decadesUp) {
        double e = Math.floor(Math.log10(center));
        return new LogScale(Math.pow(10, e - decadesDown), Math.pow(10, e + decadesUp + 1));
    }

    /**
     * Returns the value at a slider position.
     *
     * @param position in [0,1]
     * @return the value; 0 below {@link #ZERO_GAP}
     */
    public double value(double position) {
        if (position < ZERO_GAP) {
            return 0;
        }
        double t = Math.min(1, (position - ZERO_GAP) / (1 - ZERO_GAP));
        return round(Math.pow(10, Math.log10(min) + t * (Math.log10(max) - Math.log10(min))));
    }

    /**
     * Returns the slider position of a value (values outside the range sit at an end).
     *
     * @param value the value (>= 0)
     * @return the position in [0,1]
     */
    public double position(double value) {
        if (value <= 0) {
            return 0;
        }
        double clamped = Math.max(min, Math.min(max, value));
        double t = (Math.log10(clamped) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        return ZERO_GAP + t * (1 - ZERO_GAP);
    }

    /**
     * Rounds to three significant digits, so a dragged slider gives readable numbers (0.0316, 200, 1.25e4).
     *
     * @param v the value
     * @return the rounded value
     */
    public static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
