package io.github.facetoon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.facetoon.engine.EngineRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeneratorBlockTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        EngineRuntime.ensureConfigured();
        manager = NDManager.newBaseManager(Device.cpu());
        EngineRuntime.engine().setRandomSeed(7);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private GeneratorBlock newGenerator() {
        GeneratorBlock generator = new GeneratorBlock();
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        return generator;
    }

    @Test
    void hasExactlyTheOriginalParameterCount() {
        assertEquals(1_467_075L, CartoonNetworks.countTrainableParameters(newGenerator()));
    }

    @ParameterizedTest
    @CsvSource({"1,128,128", "2,32,32", "1,20,36"})
    void outputShapesMatchTheRealForward(int batch, int height, int width) {
        GeneratorBlock generator = newGenerator();
        Shape input = new Shape(batch, 3, height, width);
        NDArray photo = manager.randomUniform(-1, 1, input);
        NDArray cartoon = generator.forward(new ParameterStore(manager, false), new NDList(photo), false)
                .singletonOrThrow();
        assertEquals(generator.getOutputShapes(new Shape[] {input})[0], cartoon.getShape());
        assertEquals(new Shape(batch, 3, height, width), cartoon.getShape());
    }

    @Test
    void everyParameterReceivesAGradientThroughTheSkips() {
        GeneratorBlock generator = newGenerator();
        NDArray photo = manager.randomUniform(-1, 1, new Shape(1, 3, 16, 16));
        NDArray target = manager.randomUniform(-1, 1, new Shape(1, 3, 16, 16));
        try (GradientCollector collector = EngineRuntime.engine().newGradientCollector()) {
            NDArray cartoon = generator.forward(new ParameterStore(manager, false), new NDList(photo), true)
                    .singletonOrThrow();
            collector.backward(cartoon.mul(target).sum());
        }
        List<String> dead = new ArrayList<>();
        for (Pair<String, Parameter> entry : generator.getParameters()) {
            float gradient = entry.getValue().getArray().getGradient().abs().sum().getFloat();
            if (!(gradient > 0)) {
                dead.add(entry.getKey());
            }
        }
        assertTrue(dead.isEmpty(), "parameters without gradient: " + dead);
    }

    @Test
    void outputStaysWithinMinusOneAndOne() {
        GeneratorBlock generator = newGenerator();
        // Large weights push the pre-activation far outside [-1,1]; tanh must still bound the output.
        for (Parameter parameter : generator.getParameters().values()) {
            NDArray array = parameter.getArray();
            array.intern(array.mul(4f));
        }
        NDArray photo = manager.randomUniform(-1, 1, new Shape(2, 3, 32, 32));
        NDArray cartoon = generator.forward(new ParameterStore(manager, false), new NDList(photo), false)
                .singletonOrThrow();
        assertTrue(cartoon.max().getFloat() <= 1f, "max " + cartoon.max().getFloat());
        assertTrue(cartoon.min().getFloat() >= -1f, "min " + cartoon.min().getFloat());
        assertTrue(cartoon.abs().max().getFloat() > 0.5f, "the scaled weights should reach the saturated range");
    }

    @Test
    void upsamplingIsBilinearWithHalfPixelCentres() {
        int h = 3;
        int w = 2;
        float[] values = {0f, 1f, 2f, 5f, -3f, 4f};
        NDArray small = manager.create(values, new Shape(1, 1, h, w));
        NDArray skip = manager.zeros(new Shape(1, 1, 2 * h, 2 * w));
        float[] actual = GeneratorBlock.upsampleLike(small, skip).toFloatArray();
        float[] expected = new float[4 * h * w];
        for (int y = 0; y < 2 * h; y++) {
            for (int x = 0; x < 2 * w; x++) {
                expected[y * 2 * w + x] = bilinear(values, h, w, source(y), source(x));
            }
        }
        assertArrayEquals(expected, actual, 1e-6f);
    }

    /** Half-pixel source coordinate of destination index {@code d} for a scale of 2, clamped at 0. */
    private static double source(int d) {
        return Math.max((d + 0.5) / 2.0 - 0.5, 0.0);
    }

    private static float bilinear(float[] v, int h, int w, double sy, double sx) {
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x1] * fx;
        double bottom = v[y1 * w + x0] * (1 - fx) + v[y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
