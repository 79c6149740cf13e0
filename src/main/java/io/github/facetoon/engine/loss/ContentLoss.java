package io.github.facetoon.engine.loss;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;

/**
 * Feature-space L1 distance, used for both the content term (output vs photo) and the structure term (output vs
 * its superpixel image): White-box (Wang &amp; Yu, CVPR 2020), Eq. (5) and (6).
 *
 * <pre>
 *   d(a, b) = K · mean|F(a) − F(b)| / sg(mean|F(x)|)
 * </pre>
 *
 * where F is the frozen feature network, x the photo batch and sg() stops the gradient.
 *
 * <p>Deviation: the original uses VGG19 conv4_4 and divides the mean by the feature map's C·H·W, so the term's
 * scale depends on the network and on the image size (four times larger at 128 px than at 256 px). VGG19 is
 * not shippable here and users may bring their own network, so we divide by the photo batch's mean feature
 * magnitude instead: the term is a relative distance, the same for any network and any image size. K is fixed
 * so that the original weights (content 200, structure 200) are balanced against the adversarial terms: with
 * the bundled network, the structure distance of a photo to its own superpixel image measured 0.33–0.34 (128 px)
 * and 0.39–0.44 (256 px) on the sample photos ({@code ContentLossCalibrationTest}); with K = 1/(200 ·
 * {@value #TYPICAL_STRUCTURE_DISTANCE}) the weighted term {@code 200 · K · d} is about 1 at both sizes, the size
 * of an LSGAN generator term at weight 1.
 */
public final class ContentLoss {

    /** The relative structure distance measured on the sample photos at 128 and 256 px (see class comment). */
    public static final double TYPICAL_STRUCTURE_DISTANCE = 0.38;
    /** K: scales a relative feature distance so that weight 200 gives about 1 at the typical distance. */
    public static final double SCALE = 1.0 / (200 * TYPICAL_STRUCTURE_DISTANCE);
    /** Added to the normaliser so that an all-zero feature map cannot divide by zero. */
    public static final float NORMALISER_EPSILON = 1e-6f;

    private ContentLoss() {}

    /**
     * The normaliser mean|F(x)| of the photo batch's features, without gradient.
     *
     * @param photoFeatures F(x)
     * @return a scalar
     */
    public static NDArray normaliser(NDArray photoFeatures) {
        return photoFeatures.stopGradient().abs().mean().add(NORMALISER_EPSILON);
    }

    /**
     * The scaled relative distance between two feature maps.
     *
     * @param target features of the target (photo or superpixel image)
     * @param features features of the generator's output
     * @param normaliser from {@link #normaliser(NDArray)}
     * @return a scalar
     */
    public static NDArray distance(NDArray target, NDArray features, NDArray normaliser) {
        // (N,C,h,w) -> scalar
        return Tensors.mul(target.sub(features).abs().mean().div(normaliser), SCALE);
    }
}
