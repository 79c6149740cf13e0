package io.github.facetoon.engine.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** Lists the trainable parameters of blocks, in a stable order (the order optimiser state is saved in). */
final class NetworkParameters {

    private NetworkParameters() {}

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
