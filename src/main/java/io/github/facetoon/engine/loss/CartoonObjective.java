package io.github.facetoon.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.Tensors;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The generator's objective of one training step: the weighted sum of its terms (White-box, Wang &amp; Yu, CVPR 2020,
 * eq. 6, with the landmark term of the original FacialCartoonization project):
 *
 * <pre>
 *   L_G = w0·TV(G(x)) + w1·L_surface + w2·L_texture + w3·L_content + w4·L_structure + w5·L_landmark
 *
 *   TV          {@link TotalVariationLoss}: total variation of the output
 *   surface     {@link LsganLoss#generator}: the surface discriminator on the guided-filtered output
 *   texture     {@link LsganLoss#generator}: the texture discriminator on the colour-shifted grey output
 *   content     {@link ContentLoss}: feature distance between the output and the content target
 *   structure   {@link ContentLoss}: feature distance between the output and its flat superpixel image
 *   landmark    {@link LandmarkLoss}: distance between the output's face landmarks and the photo's
 * </pre>
 *
 * <p>Each term is normalised where it is computed so that White-box's weights keep their meaning at every training
 * size. A term whose weight is 0 is not computed at all (no forward pass through its network), and it is absent from
 * {@link #terms()}. The discriminators' own objective is {@link LsganLoss#discriminator}.
 */
public final class CartoonObjective {

    private final LossWeights weights;
    private final Map<LossTerm, NDArray> terms = new EnumMap<>(LossTerm.class);
    private NDArray total;

    /**
     * Starts a step's sum at zero.
     *
     * @param weights the step's weights
     * @param manager where the sum lives
     */
    public CartoonObjective(LossWeights weights, NDManager manager) {
        this.weights = weights;
        this.total = manager.zeros(new Shape());
    }

    /**
     * Adds {@code w_t · L_t}; computes the term only when its weight is above 0.
     *
     * @param term the term
     * @param value computes the term's scalar value (with gradients to the output)
     * @return this
     */
    public CartoonObjective add(LossTerm term, Supplier<NDArray> value) {
        double w = weights.get(term);
        if (w <= 0) {
            return this;
        }
        NDArray t = value.get();
        terms.put(term, t);
        total = total.add(Tensors.mul(t, w));
        return this;
    }

    /** @param term a term @return whether its weight is above 0, so that it will be computed */
    public boolean uses(LossTerm term) {
        return weights.get(term) > 0;
    }

    /** @return the weighted sum so far ({@code L_G}), a scalar to differentiate */
    public NDArray total() {
        return total;
    }

    /** @return the unweighted value of each term computed so far, in flag order */
    public Map<LossTerm, NDArray> terms() {
        return Collections.unmodifiableMap(terms);
    }
}
