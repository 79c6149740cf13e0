package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.EngineRuntime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients do not depend on what the garbage collector does between the forward and the backward pass. On the
 * CPU an array created from Java data borrows Java memory; if a representation closes such an array while autograd
 * still keeps it, the memory can be freed and reused before the backward pass (this gave non-finite generator
 * gradients a few steps into real trainings).
 */
class NativeMemoryLifetimeTest {

    private static float[] gradient(UnaryOperator<NDArray> op, boolean churn) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, 24, 24));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = op.apply(x);
                if (churn) {
                    churnMemory();
                }
                gc.backward(y.mul(y).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Collects garbage and fills fresh native buffers with NaN bytes, so freed memory gets overwritten. */
    private static void churnMemory() throws InterruptedException {
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(30);
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4096 * (1 + i % 8));
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                keep.add(b);
            }
        }
    }

    @Test
    void guidedFilterGradientsSurviveGarbageCollection() throws Exception {
        EngineRuntime.ensureConfigured();
        GuidedFilter gf = new GuidedFilter(2, 1e-2f);
        UnaryOperator<NDArray> op = x -> gf.filter(x.stopGradient().mul(0.5f), x);
        assertArrayEquals(gradient(op, false), gradient(op, true), 1e-6f);
    }

    @Test
    void textureGradientsSurviveGarbageCollection() throws Exception {
        EngineRuntime.ensureConfigured();
        TextureRepresentation t = new TextureRepresentation();
        var shift = new TextureRepresentation.ColorShift(0.3f, 0.6f, 0.1f);
        UnaryOperator<NDArray> op = x -> t.apply(x, shift);
        assertArrayEquals(gradient(op, false), gradient(op, true), 1e-6f);
    }
}
