package io.github.facetoon.engine.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * The cartoon-quality figures of one cartoon against its photo, as measured by {@link CartoonMetrics}; see
 * {@code docs/evaluation.md} for how to read them. Luminance is Y = 0.299R + 0.587G + 0.114B on values in 0..1.
 *
 * @param mad mean |cartoon − photo| over all pixels and the three channels, 0..1
 * @param cast mean (cartoon − photo) per channel in R, G, B order, in 0..255 units (copied in and out)
 * @param madWithoutCast mean |cartoon − photo − cast_c|: what is left of {@code mad} once a uniform colour
 *     shift is removed, 0..1
 * @param flatPhoto share of the photo's pixels whose 5×5 local standard deviation of Y is below 0.02
 * @param flatCartoon the same share in the cartoon
 * @param texture mean |Laplacian of Y| of the cartoon divided by the photo's; NaN when the photo has none
 * @param textureOnEdges the same ratio over the photo's edge pixels only; NaN when there are none or they have
 *     no texture
 * @param textureOffEdges the same ratio over the other pixels; NaN when there are none or they have no texture
 * @param inkPhoto share of the photo's pixels at least 0.15 darker than their 9×9 mean Y
 * @param inkCartoon the same share in the cartoon
 * @param palette distinct colours at 5 bits per channel, cartoon divided by photo
 * @param burnOut share of pure white or pure black pixels in the cartoon minus that share in the photo (can be
 *     negative)
 */
public record CartoonScore(double mad, double[] cast, double madWithoutCast, double flatPhoto, double flatCartoon,
                           double texture, double textureOnEdges, double textureOffEdges, double inkPhoto,
                           double inkCartoon, double palette, double burnOut) {

    /** Checks the cast has three channels and takes a private copy. */
    public CartoonScore {
        if (cast == null || cast.length != 3) {
            throw new IllegalArgumentException("cast needs three channels (R, G, B)");
        }
        cast = cast.clone();
    }

    /**
     * The per-channel mean shift.
     *
     * @return a copy: R, G, B in 0..255 units
     */
    @Override
    public double[] cast() {
        return cast.clone();
    }

    /**
     * How much flatter the cartoon is.
     *
     * @return {@code flatCartoon − flatPhoto}
     */
    public double flatGain() {
        return flatCartoon - flatPhoto;
    }

    /**
     * How many more dark-line pixels the cartoon has.
     *
     * @return {@code inkCartoon − inkPhoto}
     */
    public double inkGain() {
        return inkCartoon - inkPhoto;
    }

    /**
     * The largest colour shift of any channel.
     *
     * @return max |cast_c|, 0..255 units
     */
    public double maxAbsCast() {
        return Math.max(Math.abs(cast[0]), Math.max(Math.abs(cast[1]), Math.abs(cast[2])));
    }

    /**
     * The median of every figure over some scores, each figure on its own (NaN values skipped), so the result
     * is not the score of any one image: its {@link #flatGain()} is the difference of the medians, not the
     * median of the gains.
     *
     * @param scores the scores
     * @return the medians; all NaN for no scores
     */
    public static CartoonScore medianOf(Collection<CartoonScore> scores) {
        return new CartoonScore(
                Medians.of(scores, CartoonScore::mad),
                new double[] {
                    Medians.of(scores, s -> s.cast[0]),
                    Medians.of(scores, s -> s.cast[1]),
                    Medians.of(scores, s -> s.cast[2])},
                Medians.of(scores, CartoonScore::madWithoutCast),
                Medians.of(scores, CartoonScore::flatPhoto),
                Medians.of(scores, CartoonScore::flatCartoon),
                Medians.of(scores, CartoonScore::texture),
                Medians.of(scores, CartoonScore::textureOnEdges),
                Medians.of(scores, CartoonScore::textureOffEdges),
                Medians.of(scores, CartoonScore::inkPhoto),
                Medians.of(scores, CartoonScore::inkCartoon),
                Medians.of(scores, CartoonScore::palette),
                Medians.of(scores, CartoonScore::burnOut));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CartoonScore)) {
            return false;
        }
        CartoonScore s = (CartoonScore) o;
        return Double.compare(mad, s.mad) == 0 && Arrays.equals(cast, s.cast)
                && Double.compare(madWithoutCast, s.madWithoutCast) == 0
                && Double.compare(flatPhoto, s.flatPhoto) == 0 && Double.compare(flatCartoon, s.flatCartoon) == 0
                && Double.compare(texture, s.texture) == 0 && Double.compare(textureOnEdges, s.textureOnEdges) == 0
                && Double.compare(textureOffEdges, s.textureOffEdges) == 0
                && Double.compare(inkPhoto, s.inkPhoto) == 0 && Double.compare(inkCartoon, s.inkCartoon) == 0
                && Double.compare(palette, s.palette) == 0 && Double.compare(burnOut, s.burnOut) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {mad, cast[0], cast[1], cast[2], madWithoutCast, flatPhoto, flatCartoon,
            texture, textureOnEdges, textureOffEdges, inkPhoto, inkCartoon, palette, burnOut});
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CartoonScore[mad=%.4f, cast=(%.1f, %.1f, %.1f), madWithoutCast=%.4f, "
                + "flat=%.3f->%.3f, texture=%.3f (on edges %.3f, off %.3f), ink=%.4f->%.4f, palette=%.3f, "
                + "burnOut=%.4f]", mad, cast[0], cast[1], cast[2], madWithoutCast, flatPhoto, flatCartoon, texture,
                textureOnEdges, textureOffEdges, inkPhoto, inkCartoon, palette, burnOut);
    }
}
