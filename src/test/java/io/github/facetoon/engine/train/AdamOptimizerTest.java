package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.github.facetoon.engine.EngineRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

    private static Parameter parameter(NDManager manager, float... values) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                .build();
        NDArray a = manager.create(values);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    /** Gives the parameter the gradient g by a real backward pass of sum(w · g). */
    private static void gradient(Parameter p, float... g) {
        NDArray w = p.getArray();
        try (NDManager scratch = w.getManager().newSubManager();
                ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray coefficients = scratch.create(g);
            gc.backward(w.mul(coefficients).sum());
        }
    }

    @Test
    void movesAgainstTheGradientByTheLearningRateAtFirst() {
        EngineRuntime.ensureConfigured();
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, 1f, -2f, 3f);
            try (AdamOptimizer adam = new AdamOptimizer(List.of(w), manager, 0.1, 0.5, 0.999)) {
                gradient(w, 4f, -0.5f, 0f);
                adam.step();
                // Bias-corrected first step: lr · g / (|g| + ε) = ±lr where the gradient is not zero.
                assertArrayEquals(new float[] {0.9f, -1.9f, 3f}, w.getArray().toFloatArray(), 1e-5f);
                assertEquals(1, adam.stepCount());
                assertArrayEquals(new float[] {0f, 0f, 0f}, w.getArray().getGradient().toFloatArray(), "gradients zeroed");
            }
        }
    }

    @Test
    void resetForgetsMomentsANumericBlowUpLeftBehind() {
        EngineRuntime.ensureConfigured();
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, 1f, 2f);
            Parameter fresh = parameter(manager, 1f, 2f);
            try (AdamOptimizer adam = new AdamOptimizer(List.of(w), manager, 0.1, 0.5, 0.999);
                    AdamOptimizer clean = new AdamOptimizer(List.of(fresh), manager, 0.1, 0.5, 0.999)) {
                gradient(w, Float.NaN, 1f);
                adam.step();
                assertTrue(Float.isNaN(w.getArray().toFloatArray()[0]), "the blow-up reached the weights");
                // A roll-back restores the weights from a state without moments: the moments must start afresh too.
                w.getArray().set(new float[] {1f, 2f});
                adam.reset();
                assertEquals(0, adam.stepCount());
                gradient(w, 0.5f, -1f);
                adam.step();
                gradient(fresh, 0.5f, -1f);
                clean.step();
                assertArrayEquals(fresh.getArray().toFloatArray(), w.getArray().toFloatArray(), 0f);
            }
        }
    }
}
