package io.github.facetoon.engine.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.perception.FaceCrop;
import io.github.facetoon.engine.perception.FaceLandmarkNet;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

class LandmarkLossTest {

    @TempDir
    Path tmp;

    /** All 68 points at (0.5,0.5) except the outer eye corners. */
    private static float[] face(float eyeRightX, float eyeRightY, float eyeLeftX, float eyeLeftY) {
        float[] p = new float[136];
        java.util.Arrays.fill(p, 0.5f);
        p[2 * 36] = eyeRightX;
        p[2 * 36 + 1] = eyeRightY;
        p[2 * 45] = eyeLeftX;
        p[2 * 45 + 1] = eyeLeftY;
        return p;
    }

    private static float[] shifted(float[] p, float dx, float dy) {
        float[] q = p.clone();
        for (int i = 0; i < q.length; i += 2) {
            q[i] += dx;
            q[i + 1] += dy;
        }
        return q;
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[parts.length * 136];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, i * 136, 136);
        }
        return out;
    }

    @Test
    void matchesAHandCheckedValueAndSkipsMaskedAndDegenerateImages() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = face(0.3f, 0.4f, 0.7f, 0.4f);   // inter-ocular 0.4
            float[] b = face(0.4f, 0.5f, 0.6f, 0.5f);   // inter-ocular 0.2
            float[] c = face(0.5f, 0.5f, 0.5f, 0.5f);   // degenerate: inter-ocular 0
            float[] d = face(0.3f, 0.4f, 0.7f, 0.4f);   // no face (masked out)
            NDArray target = m.create(concat(a, b, c, d), new Shape(4, 68, 2));
            // a: every point off by (0.03,0.04) -> 0.05 / 0.4 = 0.125
            // b: every point off by (0,0.01)     -> 0.01 / 0.2 = 0.05
            // c, d: large errors, but they do not count
            NDArray predicted = m.create(concat(shifted(a, 0.03f, 0.04f), shifted(b, 0f, 0.01f),
                    shifted(c, 0.3f, 0.3f), shifted(d, 0.2f, 0f)), new Shape(4, 68, 2));
            NDArray hasFace = m.create(new float[] {1, 1, 1, 0});
            float loss = LandmarkLoss.distance(predicted, target, hasFace).getFloat();
            assertEquals((0.125 + 0.05) / 2, loss, 1e-5);
            assertArrayEquals(new float[] {1, 1, 0, 1}, LandmarkLoss.usableTargets(target).toFloatArray());
        }
    }

    @Test
    void isZeroWhenThePointsAgreeAndWhenNoImageCounts() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.randomUniform(0.2f, 0.8f, new Shape(3, 68, 2));
            assertEquals(0f, LandmarkLoss.distance(target.duplicate(), target, null).getFloat(), 1e-7);
            NDArray none = m.zeros(new Shape(3));
            NDArray off = target.add(0.1f);
            assertEquals(0f, LandmarkLoss.distance(off, target, none).getFloat(), 0f);
        }
    }

    @Test
    void gradientReachesTheFirstLayerOfANetworkInFrontOfTheLandmarkNet() throws IOException {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        Path file = tmp.resolve("astronaut.png");
        try (InputStream in = getClass().getResourceAsStream("/faces/astronaut.png")) {
            Files.copy(in, file);
        }
        Mat img = Imgcodecs.imread(file.toString());
        Mat crop = LandmarkDetector.cropSquare(img, new FaceCrop(160, 60, 130), 128);
        float[] chw = ImageTensors.bgrToChw(crop);
        img.release();
        crop.release();

        try (FaceLandmarkNet net = FaceLandmarkNet.load(); NDManager m = NDManager.newBaseManager()) {
            // A stand-in generator: conv -> tanh -> conv -> tanh, starting near the identity's neighbourhood.
            Conv2d first = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build();
            SequentialBlock generator = new SequentialBlock()
                    .add(first)
                    .add(Activation::tanh)
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(3).build())
                    .add(Activation::tanh);
            generator.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            generator.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray photo = ImageTensors.toBatch(m, new float[][] {chw}, 128, 128);
            LandmarkLoss loss = new LandmarkLoss(net);
            assertEquals(0f, loss.compute(photo, photo, null).getFloat(), 1e-7, "a perfect generator costs nothing");
            NDArray firstWeight = first.getParameters().get("weight").getArray();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = generator.forward(ps, new NDList(photo), true).singletonOrThrow();
                NDArray value = loss.compute(fake, photo, null);
                assertTrue(value.getFloat() > 0, "a random generator should move the landmarks");
                gc.backward(value);
            }
            NDArray grad = firstWeight.getGradient();
            float norm = grad.abs().sum().getFloat();
            assertTrue(Float.isFinite(norm) && norm > 0, "gradient at the first layer: " + norm);
            net.block().getParameters().values().forEach(p ->
                    assertFalse(p.getArray().hasGradient() && p.getArray().getGradient().abs().sum().getFloat() > 0,
                            "landmark net parameter " + p.getName() + " received a gradient"));
        }
    }
}
