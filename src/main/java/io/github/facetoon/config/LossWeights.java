package io.github.facetoon.config;

import java.util.Locale;
import java.util.Map;

/**
 * The six loss-term weights of the generator objective, in the seed's flag order.
 *
 * <p>{@code L_G = w0·TV + w1·surface-GAN + w2·texture-GAN + w3·content + w4·structure + w5·landmark}.
 * The flag meanings w0..w4 are the seed's ({@code train.py}); w5 (landmark) is ours. The defaults are the
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

    /** Number of weights. */
    public static final int COUNT = 6;
    /** Short names in flag order, as used in logs, events and JSON. */
    public static final String[] NAMES = {"tv", "surface", "texture", "content", "structure", "landmark"};

    /** Validates every weight: finite and not negative. */
    public LossWeights {
        double[] all = {tv, surface, texture, content, structure, landmark};
        for (int i = 0; i < all.length; i++) {
            if (!Double.isFinite(all[i]) || all[i] < 0) {
                throw new IllegalArgumentException("loss weight w" + i + " (" + NAMES[i]
                        + ") must be a finite number >= 0, got " + all[i]);
            }
        }
    }

    /** The original White-box weights with the landmark term at its default. */
    public static LossWeights defaults() {
        return whiteBoxOriginal();
    }

    /** White-box original code weights (TV 1e4, surface 0.1, texture 1, content 200, structure 200), landmark 10. */
    public static LossWeights whiteBoxOriginal() {
        return new LossWeights(1e4, 0.1, 1, 200, 200, 10);
    }

    /** The seed README's run ({@code --w0 1e5 --w1 2e-1 --w2 5 --w3 2e1 --w4 6e-1}), landmark 10. */
    public static LossWeights seedReadme() {
        return new LossWeights(1e5, 0.2, 5, 20, 0.6, 10);
    }

    /** The paper's weights (surface 1, texture 10, structure 2000, content 2000, TV 1e4), landmark 100. */
    public static LossWeights paper() {
        return new LossWeights(1e4, 1, 10, 2000, 2000, 100);
    }

    /**
     * Returns weight {@code i} in flag order (0 = TV ... 5 = landmark).
     *
     * @param i index 0..5
     * @return the weight
     */
    public double get(int i) {
        switch (i) {
            case 0: return tv;
            case 1: return surface;
            case 2: return texture;
            case 3: return content;
            case 4: return structure;
            case 5: return landmark;
            default: throw new IndexOutOfBoundsException("weight index " + i);
        }
    }

    /**
     * Returns a copy with weight {@code i} replaced.
     *
     * @param i index 0..5
     * @param value the new weight
     * @return the new weights
     */
    public LossWeights with(int i, double value) {
        double[] a = toArray();
        a[i] = value;
        return fromArray(a);
    }

    /**
     * Returns a copy with some weights replaced.
     *
     * @param byIndex new weights by index 0..5
     * @return the new weights
     */
    public LossWeights with(Map<Integer, Double> byIndex) {
        double[] a = toArray();
        byIndex.forEach((i, v) -> a[i] = v);
        return fromArray(a);
    }

    /** Returns the weights in flag order. */
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
        if (a.length != COUNT) {
            throw new IllegalArgumentException("expected " + COUNT + " weights, got " + a.length);
        }
        return new LossWeights(a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "w0(tv)=%g w1(surface)=%g w2(texture)=%g w3(content)=%g w4(structure)=%g w5(landmark)=%g",
                tv, surface, texture, content, structure, landmark);
    }
}
