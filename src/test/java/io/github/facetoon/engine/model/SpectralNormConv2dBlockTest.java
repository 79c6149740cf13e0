package io.github.facetoon.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpectralNormConv2dBlockTest {

    private static final int IN = 4;
    private static final int OUT = 6;
    private static final Shape INPUT = new Shape(2, IN, 8, 8);

    private NDManager manager;

    @BeforeEach
    void openManager() {
        EngineRuntime.ensureConfigured();
        manager = NDManager.newBaseManager(Device.cpu());
        EngineRuntime.engine().setRandomSeed(11);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private SpectralNormConv2dBlock newBlock() {
        SpectralNormConv2dBlock block = new SpectralNormConv2dBlock(IN, OUT, 3, 1, 1);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    private NDArray forward(SpectralNormConv2dBlock block, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private static NDArray weightOf(SpectralNormConv2dBlock block) {
        return block.getParameters().get("weight").getArray();
    }

    @Test
    void largestSingularValueOfTheNormalisedKernelConvergesToOne() {
        SpectralNormConv2dBlock block = newBlock();
        NDArray x = manager.randomUniform(-1, 1, INPUT);
        for (int i = 0; i < 30; i++) {
            forward(block, x, true);
        }
        double sigmaTrue = largestSingularValue(weightOf(block).toFloatArray(), OUT);
        // The block convolves with W/σ and a zero bias, so the plain convolution with W is σ times its output.
        NDArray plain = Conv2d.conv2d(x, weightOf(block), manager.zeros(new Shape(OUT)), new Shape(1, 1),
                new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
        NDArray normalised = forward(block, x, false);
        double sigmaUsed = plain.norm().getFloat() / normalised.norm().getFloat();
        assertEquals(1.0, sigmaTrue / sigmaUsed, 0.02, "largest singular value of W/σ");
    }

    @Test
    void inferenceLeavesUUnchangedAndTrainingUpdatesIt() {
        SpectralNormConv2dBlock block = newBlock();
        NDArray x = manager.randomUniform(-1, 1, INPUT);
        float[] before = block.getU().getArray().toFloatArray();
        for (int i = 0; i < 3; i++) {
            forward(block, x, false);
        }
        assertArrayEquals(before, block.getU().getArray().toFloatArray(), 0f);
        forward(block, x, true);
        float[] after = block.getU().getArray().toFloatArray();
        assertFalse(Arrays.equals(before, after), "a training forward runs one power iteration");
        assertEquals(1.0, norm(after), 1e-5, "u stays a unit vector");
    }

    @Test
    void uIsSavedAndLoadedWithTheParametersButNotTrained() throws Exception {
        SpectralNormConv2dBlock block = newBlock();
        NDArray x = manager.randomUniform(-1, 1, INPUT);
        for (int i = 0; i < 5; i++) {
            forward(block, x, true);
        }
        assertFalse(block.getU().requiresGradient());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));

        SpectralNormConv2dBlock restored = new SpectralNormConv2dBlock(IN, OUT, 3, 1, 1);
        restored.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(block.getU().getArray().toFloatArray(), restored.getU().getArray().toFloatArray(), 0f);
        assertArrayEquals(forward(block, x, true).toFloatArray(), forward(restored, x, true).toFloatArray(), 0f);
        assertArrayEquals(block.getU().getArray().toFloatArray(), restored.getU().getArray().toFloatArray(), 0f);
    }

    @Test
    void twoTrainingForwardsShareOneBackwardAndTheGradientReachesTheKernelOnly() {
        SpectralNormConv2dBlock block = newBlock();
        NDArray real = manager.randomUniform(-1, 1, INPUT);
        NDArray fake = manager.randomUniform(-1, 1, INPUT);
        try (GradientCollector collector = EngineRuntime.engine().newGradientCollector()) {
            NDArray loss = forward(block, real, true).square().mean().add(forward(block, fake, true).mean());
            collector.backward(loss);
        }
        NDArray gradient = weightOf(block).getGradient();
        assertNotNull(gradient);
        assertTrue(gradient.abs().sum().getFloat() > 0);
        assertEquals(OUT * IN * 9 + OUT, CartoonNetworks.countTrainableParameters(block), "u is not counted");
    }

    @Test
    void theGradientFlowsThroughSigma() {
        // At inference u is fixed and v = Wᵀu/|Wᵀu|, so σ(W) = |Wᵀu| and dσ/dW = u vᵀ exactly: the autograd gradient
        // (u, v held constant) must match central finite differences of the whole block. Without the gradient
        // through σ, the term -(u vᵀ)·<W, dL/dŴ>/σ² would be missing.
        SpectralNormConv2dBlock block = newBlock();
        NDArray x = manager.randomUniform(-1, 1, INPUT);
        NDArray probe = manager.randomUniform(-1, 1, new Shape(2, OUT, 8, 8));
        NDArray weight = weightOf(block);
        try (GradientCollector collector = EngineRuntime.engine().newGradientCollector()) {
            collector.backward(forward(block, x, false).mul(probe).sum());
        }
        float[] analytic = weight.getGradient().toFloatArray();
        float[] values = weight.toFloatArray();
        double step = 1e-2;
        for (int index : new int[] {0, 17, 101, values.length - 1}) {
            double plus = lossWithWeight(block, x, probe, values, index, step);
            double minus = lossWithWeight(block, x, probe, values, index, -step);
            double numeric = (plus - minus) / (2 * step);
            double tolerance = 0.02 * Math.max(1.0, Math.abs(numeric));
            assertEquals(numeric, analytic[index], tolerance, "d loss / d W[" + index + "]");
        }
    }

    private double lossWithWeight(SpectralNormConv2dBlock block, NDArray x, NDArray probe, float[] values, int index,
            double delta) {
        float[] changed = values.clone();
        changed[index] += (float) delta;
        weightOf(block).intern(manager.create(changed, weightOf(block).getShape()).duplicate());
        double loss = forward(block, x, false).mul(probe).sum().getFloat();
        weightOf(block).intern(manager.create(values, weightOf(block).getShape()).duplicate());
        return loss;
    }

    @Test
    void outputShapeFollowsStrideAndPadding() {
        SpectralNormConv2dBlock block = new SpectralNormConv2dBlock(IN, OUT, 3, 2, 1);
        Shape input = new Shape(1, IN, 10, 14);
        NDArray y = block.forward(new ParameterStore(manager, false),
                new NDList(manager.randomUniform(-1, 1, input)), true).singletonOrThrow();
        assertEquals(new Shape(1, OUT, 5, 7), y.getShape());
        assertEquals(y.getShape(), block.getOutputShapes(new Shape[] {input})[0]);
    }

    /** Largest singular value of the (rows, n/rows) matrix, from 2000 power iterations on W Wᵀ in double. */
    private static double largestSingularValue(float[] w, int rows) {
        int cols = w.length / rows;
        double[][] gram = new double[rows][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double s = 0;
                for (int k = 0; k < cols; k++) {
                    s += (double) w[i * cols + k] * w[j * cols + k];
                }
                gram[i][j] = s;
            }
        }
        double[] vector = new double[rows];
        Arrays.fill(vector, 1.0);
        double lambda = 0;
        for (int it = 0; it < 2000; it++) {
            double[] next = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < rows; j++) {
                    next[i] += gram[i][j] * vector[j];
                }
            }
            lambda = 0;
            for (double value : next) {
                lambda += value * value;
            }
            lambda = Math.sqrt(lambda);
            for (int i = 0; i < rows; i++) {
                vector[i] = next[i] / lambda;
            }
        }
        return Math.sqrt(lambda);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }
}
