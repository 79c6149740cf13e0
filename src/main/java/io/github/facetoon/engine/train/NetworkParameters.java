package io.github.facetoon.engine.train;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import io.github.facetoon.engine.NoGrad;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Lists the trainable parameters of blocks, in a stable order (the order optimiser state is saved in). */
final class NetworkParameters {

    private NetworkParameters() {}

    /**
     * Sets the parameters' gradients to exactly zero (g − g would turn an infinite gradient into NaN and keep it).
     *
     * @param params the parameters
     */
    static void zeroGradients(List<Parameter> params) {
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Parameter p : params) {
                p.getArray().getGradient().set(ALL, 0f);
            }
        }
    }

    /** Every element. */
    static final NDIndex ALL = new NDIndex("...");

    static List<Parameter> trainable(Block... blocks) {
        List<Parameter> out = new ArrayList<>();
        for (Block b : blocks) {
            for (Parameter p : b.getParameters().values()) {
                if (p.requiresGradient()) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
