package io.github.facetoon.engine.loss;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Total variation of the generator's output (White-box, Wang &amp; Yu, CVPR 2020, the TV term of Eq. (7)).
 *
 * <pre>
 *   tv(x) = ( mean((x[:, :, 1:, :] − x[:, :, :−1, :])²) + mean((x[:, :, :, 1:] − x[:, :, :, :−1])²) ) / (3·256²)
 * </pre>
 *
 * <p>Deviation: the original divides by 3·H·W of the actual image, so the same weight means four times more
 * smoothing at 128 px than at 256 px (the seed's README weight 1e5 at 128 px is about 40 times the original's
 * pressure). We divide by the constant 3·256² instead: at 256 px this is exactly the original, and the
 * original weight 1e4 keeps its meaning at every image size.
 */
public final class TotalVariationLoss {

    /** The reference normaliser 3·256·256 (the original's value at its 256 px training size). */
    public static final double NORMALISER = 3.0 * 256 * 256;

    private TotalVariationLoss() {}

    /**
     * Computes the term.
     *
     * @param images (N,C,H,W)
     * @return a scalar
     */
    public static NDArray compute(NDArray images) {
        NDArray dh = images.get(new NDIndex(":, :, 1:, :")).sub(images.get(new NDIndex(":, :, :-1, :")));
        NDArray dw = images.get(new NDIndex(":, :, :, 1:")).sub(images.get(new NDIndex(":, :, :, :-1")));
        // (N,C,H-1,W) and (N,C,H,W-1) -> scalar
        return Tensors.div(dh.square().mean().add(dw.square().mean()), NORMALISER);
    }
}
