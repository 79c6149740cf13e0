package io.github.facetoon.engine.loss;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;

/**
 * Least-squares GAN losses on raw discriminator logits (Mao et al., 2017), as White-box's {@code loss.py}
 * uses them for the surface and texture discriminators.
 *
 * <pre>
 *   generator:      L_G = mean((D(fake) − 1)²)
 *   discriminator:  L_D = 0.5 · ( mean((D(real) − 1)²) + mean(D(fake)²) )
 * </pre>
 *
 * <p>Deviation from the seed: the seed puts a sigmoid on the discriminator and uses MSE on probabilities;
 * we follow the original (logits, no sigmoid).
 */
public final class LsganLoss {

    private LsganLoss() {}

    /**
     * The generator's term: fakes should be scored as real.
     *
     * @param fakeLogits D(fake), any shape
     * @return a scalar
     */
    public static NDArray generator(NDArray fakeLogits) {
        return fakeLogits.sub(1).square().mean();
    }

    /**
     * The discriminator's term: reals scored 1, fakes 0.
     *
     * @param realLogits D(real)
     * @param fakeLogits D(fake), computed from a detached fake
     * @return a scalar
     */
    public static NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
        return Tensors.mul(realLogits.sub(1).square().mean().add(fakeLogits.square().mean()), 0.5);
    }
}
