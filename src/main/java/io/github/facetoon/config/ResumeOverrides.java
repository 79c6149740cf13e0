package io.github.facetoon.config;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Settings the user gave explicitly for a resumed run. A resumed run takes its learning rate and loss weights from
 * the checkpoint, so that a plain {@code --resume} continues exactly; what is named here wins over the checkpoint.
 *
 * @param learningRate the learning rate to continue with, or empty to keep the checkpoint's
 * @param weights loss weights to replace in the checkpoint's weights
 */
public record ResumeOverrides(OptionalDouble learningRate, Map<LossTerm, Double> weights) {

    /** Nothing overridden: a resumed run continues exactly as it was saved. */
    public static final ResumeOverrides NONE = new ResumeOverrides(OptionalDouble.empty(), Map.of());

    /** Validates and copies. */
    public ResumeOverrides {
        if (learningRate == null || weights == null) {
            throw new IllegalArgumentException("learning rate and weights must not be null (use empty)");
        }
        if (learningRate.isPresent() && !(learningRate.getAsDouble() > 0 && Double.isFinite(learningRate.getAsDouble()))) {
            throw new IllegalArgumentException("learning rate must be > 0");
        }
        weights = Map.copyOf(weights);
    }

    /** @return true when nothing is overridden */
    public boolean isEmpty() {
        return learningRate.isEmpty() && weights.isEmpty();
    }

    /**
     * The checkpoint's weights with the overridden ones replaced.
     *
     * @param saved the weights saved in the checkpoint
     * @return the weights to continue with
     */
    public LossWeights apply(LossWeights saved) {
        return saved.with(weights);
    }
}
