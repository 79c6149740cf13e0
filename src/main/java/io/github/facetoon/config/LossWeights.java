package io.github.facetoon.config;

import java.util.Locale;
import java.util.Map;

/**
 * The six loss-term weights of the generator objective ({@link LossTerm}, in the original project's flag order).
 *
 * <p>{@code L_G = w0·TV + w1·surface-GAN + w2·texture-GAN + w3·content + w4·structure + w5·landmark}.
 * The flag meanings w0..w4 are the original project's ({@code train.py}); w5 (landmark) is ours. The defaults are the
 * original White-box weights ({@code SystemErrorWang/White-box-Cartoonization train_code/train.py}:
 * TV 1e4, surface 0.1, texture 1, content 200, structure 200); the engine normalises every term so that
 * these give balanced terms at 128 and at 256 px (see {@code engine.loss.CartoonObjective}).
 *
 * @param tv total variation (w0)
 * @param surface surface representation, adversarial (w1)
 * @param texture texture representation, adversarial (w2)
 * @param content content distance to the photo (w3)
 * @param structure structure distance to the superpixel image (w4)
 * @param landmark landmark distance to the photo's landmarks (w5)
 */
public record LossWeights(double tv, double surface, double texture, double content, double structure,
                          double landmark) {

    /** White-box's total-variation weight. */
    public static final double DEFAULT_TV = 1e4;
    /** White-box's surface weight. */
    public static final double DEFAULT_SURFACE = 0.1;
    /** White-box's texture weight. */
    public static final double DEFAULT_TEXTURE = 1;
    /** White-box's content weight. */
    public static final double DEFAULT_CONTENT = 200;
    /** White-box's structure weight. */
    public static final double DEFAULT_STRUCTURE = 200;
    /** Our landmark weight. */
    public static final double DEFAULT_LANDMARK = 10;

    /** Validates every weight: finite and not negative. */
    public LossWeights {
        double[] all = {tv, surface, texture, content, structure, landmark};
        for (LossTerm t : LossTerm.values()) {
            double v = all[t.ordinal()];
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("loss weight w" + t.ordinal() + " (" + t.key()
                        + ") must be a finite number >= 0, got " + v);
            }
        }
    }

    /** The original White-box weights with the landmark term at its default. */
    public static LossWeights defaults() {
        return whiteBoxOriginal();
    }

    /** White-box original code weights (TV 1e4, surface 0.1, texture 1, content 200, structure 200), landmark 10. */
    public static LossWeights whiteBoxOriginal() {
        return new LossWeights(DEFAULT_TV, DEFAULT_SURFACE, DEFAULT_TEXTURE, DEFAULT_CONTENT, DEFAULT_STRUCTURE,
                DEFAULT_LANDMARK);
    }

    /** The original project README's run ({@code --w0 1e5 --w1 2e-1 --w2 5 --w3 2e1 --w4 6e-1}), landmark 10. */
    public static LossWeights seedReadme() {
        return new LossWeights(1e5, 0.2, 5, 20, 0.6, 10);
    }

    /** The paper's weights (surface 1, texture 10, structure 2000, content 2000, TV 1e4), landmark 100. */
    public static LossWeights paper() {
        return new LossWeights(1e4, 1, 10, 2000, 2000, 100);
    }

    /**
     * Returns the weight of a term.
     *
     * @param term the term
     * @return the weight
     */
    public double get(LossTerm term) {
        return switch (term) {
            case TV -> tv;
            case SURFACE -> surface;
            case TEXTURE -> texture;
            case CONTENT -> content;
            case STRUCTURE -> structure;
            case LANDMARK -> landmark;
        };
    }

    /**
     * Returns a copy with one weight replaced.
     *
     * @param term the term
     * @param value the new weight
     * @return the new weights
     */
    public LossWeights with(LossTerm term, double value) {
        double[] a = toArray();
        a[term.ordinal()] = value;
        return fromArray(a);
    }

    /**
     * Returns a copy with some weights replaced.
     *
     * @param byTerm new weights
     * @return the new weights
     */
    public LossWeights with(Map<LossTerm, Double> byTerm) {
        double[] a = toArray();
        byTerm.forEach((t, v) -> a[t.ordinal()] = v);
        return fromArray(a);
    }

    /** Returns the weights in flag order ({@link LossTerm#ordinal()}). */
    public double[] toArray() {
        return new double[] {tv, surface, texture, content, structure, landmark};
    }

    /**
     * Builds weights from an array in flag order.
     *
     * @param a six weights
     * @return the weights
     */
    public static LossWeights fromArray(double[] a) {
        if (a.length != LossTerm.values().length) {
            throw new IllegalArgumentException("expected " + LossTerm.values().length + " weights, got " + a.length);
        }
        return new LossWeights(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "w0(tv)=%g w1(surface)=%g w2(texture)=%g w3(content)=%g w4(structure)=%g w5(landmark)=%g",
                tv, surface, texture, content, structure, landmark);
    }
}
