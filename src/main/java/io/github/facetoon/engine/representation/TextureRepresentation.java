package io.github.facetoon.engine.representation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Texture representation, Wang &amp; Yu, CVPR 2020, Sec. 3.3, Eq. (3): a single-channel image made by a random colour
 * shift, which removes colour and luminance cues so that the texture discriminator D<sub>t</sub> judges
 * high-frequency texture only.
 *
 * <pre>
 *   F_rcs(I) = (r_w·R + g_w·G + b_w·B) / (r_w + g_w + b_w)
 *   r_w ~ U(0.199, 0.399),  g_w ~ U(0.487, 0.687),  b_w ~ U(0.014, 0.214)
 * </pre>
 *
 * One weight triple is drawn per training step and applied to both the generated and the cartoon batch, as in the
 * reference code (White-box {@code utils.color_shift}). The ranges are the reference's ±0.1 around the ITU-R 601 luma
 * weights, with its BGR order mapped to our RGB channels. The output is a convex combination, so it stays in [-1,1].
 *
 * <p>Deviation: the seed project (ArthurinRUC) draws an independent weight for every pixel, which turns the colour
 * shift into noise injection; we follow the original, one triple per step shared by both batches.
 */
public final class TextureRepresentation {

    /**
     * One random colour shift: the weights of R, G and B.
     *
     * @param red weight of the red channel
     * @param green weight of the green channel
     * @param blue weight of the blue channel
     */
    public record ColorShift(float red, float green, float blue) {

        /** Lower bound of the red weight. */
        public static final float RED_MIN = 0.199f;
        /** Upper bound of the red weight. */
        public static final float RED_MAX = 0.399f;
        /** Lower bound of the green weight. */
        public static final float GREEN_MIN = 0.487f;
        /** Upper bound of the green weight. */
        public static final float GREEN_MAX = 0.687f;
        /** Lower bound of the blue weight. */
        public static final float BLUE_MIN = 0.014f;
        /** Upper bound of the blue weight. */
        public static final float BLUE_MAX = 0.214f;

        /** Validates that the weights are finite, non-negative and not all zero. */
        public ColorShift {
            if (!(red >= 0f && green >= 0f && blue >= 0f) || !Float.isFinite(red + green + blue)
                    || red + green + blue <= 0f) {
                throw new IllegalArgumentException("bad colour-shift weights " + red + ", " + green + ", " + blue);
            }
        }

        /**
         * Draws one colour shift from the reference ranges.
         *
         * @param rng the training run's seeded generator, so that runs are reproducible
         * @return the shift
         */
        public static ColorShift sample(Random rng) {
            float r = RED_MIN + (RED_MAX - RED_MIN) * rng.nextFloat();
            float g = GREEN_MIN + (GREEN_MAX - GREEN_MIN) * rng.nextFloat();
            float b = BLUE_MIN + (BLUE_MAX - BLUE_MIN) * rng.nextFloat();
            return new ColorShift(r, g, b);
        }

        /** Returns the plain luma shift (0.299, 0.587, 0.114), the centre of the ranges, for previews. */
        public static ColorShift luma() {
            return new ColorShift(0.299f, 0.587f, 0.114f);
        }
    }

    /**
     * Converts a batch to its random-colour-shift grey image.
     *
     * @param images (N,3,H,W) float32 RGB in [-1,1]
     * @param shift the step's colour shift; pass the same one for the generated and the cartoon batch
     * @return (N,1,H,W) float32 in [-1,1], on the images' manager; differentiable w.r.t. the images
     */
    public NDArray apply(NDArray images, ColorShift shift) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected (N,3,H,W) RGB, got " + s);
        }
        float sum = shift.red() + shift.green() + shift.blue();
        NDManager m = images.getManager();
        // The weights stay open with the images' manager: autograd keeps them for the backward pass, and on the
        // CPU an array created from Java data borrows Java memory that must outlive it.
        NDArray weights = m.create(new float[] {shift.red() / sum, shift.green() / sum, shift.blue() / sum},
                new Shape(1, 3, 1, 1));
        try (NDArray weighted = images.mul(weights)) {                             // (N,3,H,W)
            return weighted.sum(new int[] {1}, true);                              // (N,1,H,W)
        }
    }
}
