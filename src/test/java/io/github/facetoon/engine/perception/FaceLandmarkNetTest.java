package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

class FaceLandmarkNetTest {

    private static FaceLandmarkNet net;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        net = FaceLandmarkNet.load();
    }

    @AfterAll
    static void close() {
        net.close();
    }

    private float[] astronautFace() throws IOException {
        Mat bgr = TestResources.read("/landmarks/astronaut-face-112.png", tmp);
        try {
            return ImageTensors.bgrToChw(bgr);
        } finally {
            bgr.release();
        }
    }

    @Test
    void hasTheShippedParameterCountAndAllParametersAreFrozen() {
        long count = 0;
        for (Parameter p : net.block().getParameters().values()) {
            count += p.getArray().size();
            assertFalse(p.requiresGradient(), p.getName());
            assertFalse(p.getArray().hasGradient(), p.getName());
        }
        assertEquals(356_840, count);
    }

    @Test
    void outputShapesMatchTheForwardPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = net.predict(m.zeros(new Shape(2, 3, 112, 112)));
            assertEquals(net.block().getOutputShapes(new Shape[] {new Shape(2, 3, 112, 112)})[0], out.getShape());
            assertEquals(new Shape(2, 68, 2), out.getShape());
            assertEquals(m, out.getManager());
        }
    }

    @Test
    void samePaddingPutsTheOddPixelAfter() {
        assertArrayEquals(new int[] {0, 1}, TfConvBlock.samePadding(112, 2));
        assertArrayEquals(new int[] {1, 1}, TfConvBlock.samePadding(7, 2));
        assertArrayEquals(new int[] {1, 1}, TfConvBlock.samePadding(56, 1));
    }

    @Test
    void interpolationModeOneIsBilinearWithHalfPixelCentresAndAntialiasedWhenShrinking() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            NDArray up = x.getNDArrayInternal().interpolation(new long[] {1, 4}, FaceLandmarkNet.BILINEAR, false);
            // source positions -0.25, 0.25, 0.75, 1.25, clamped at the borders
            assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, up.toFloatArray(), 1e-6f);
            // Shrinking 8 -> 4 uses a triangle filter twice as wide (PyTorch antialias=True), not 2-tap sampling:
            // output 0 weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25.
            NDArray row = m.create(new float[] {0, 0, 1, 1, 2, 2, 3, 3}, new Shape(1, 1, 1, 8));
            NDArray down = row.getNDArrayInternal().interpolation(new long[] {1, 4}, FaceLandmarkNet.BILINEAR, false);
            assertEquals(0.25f / 1.75f, down.toFloatArray()[0], 1e-6f);
        }
    }

    @Test
    void anySquareSizeIsResizedInside() throws IOException {
        float[] face = astronautFace();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray small = ImageTensors.toBatch(m, new float[][] {face}, 112, 112);
            // Every pixel doubled: shrinking back (antialiased bilinear) gives a slightly softer copy of the 112 image.
            NDArray big = small.repeat(2, 2).repeat(3, 2);
            assertEquals(new Shape(1, 3, 224, 224), big.getShape());
            float[] a = net.predict(small).toFloatArray();
            float[] b = net.predict(big).toFloatArray();
            double worst = 0;
            for (int i = 0; i < a.length; i += 2) {
                worst = Math.max(worst, Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]) * 112);
            }
            assertTrue(worst < 0.5, "224 px input moved a point by " + worst + " px (at 112)");
        }
    }

    @Test
    void rejectsNonSquareOrNonRgbInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> net.predict(m.zeros(new Shape(1, 3, 112, 100))));
            assertThrows(IllegalArgumentException.class, () -> net.predict(m.zeros(new Shape(1, 1, 112, 112))));
        }
    }

    @Test
    void batchOfSixteenForwardTiming() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray faces = sixteen(m, 112);
            net.predict(faces).toFloatArray();  // warm-up
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray f = faces.duplicate();
                    f.attach(step);
                    long start = System.nanoTime();
                    net.predict(f).toFloatArray();
                    best = Math.min(best, (System.nanoTime() - start) / 1e6);
                }
            }
            System.out.printf("landmark net forward, batch 16 at 112x112 on %s: %.1f ms (best of 3)%n",
                    faces.getDevice(), best);
            assertTrue(best > 0);
        }
    }

    /** Forward and backward to a 128 px input, as in training; slow on a busy CPU. */
    @Test
    @Tag("slow")
    void batchOfSixteenForwardBackwardTiming() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray faces = sixteen(m, 128);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray f = faces.duplicate();
                    f.attach(step);
                    f.setRequiresGradient(true);
                    long start = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(net.predict(f).sum());
                    }
                    f.getGradient().toFloatArray();
                    best = Math.min(best, (System.nanoTime() - start) / 1e6);
                }
            }
            System.out.printf("landmark net forward+backward, batch 16 at 128x128 on %s: %.1f ms (best of 3)%n",
                    faces.getDevice(), best);
            assertTrue(best > 0);
        }
    }

    private NDArray sixteen(NDManager m, int size) throws IOException {
        NDArray one = ImageTensors.toBatch(m, new float[][] {astronautFace()}, 112, 112);
        if (size != 112) {
            one = one.getNDArrayInternal().interpolation(new long[] {size, size}, FaceLandmarkNet.BILINEAR, false);
        }
        return one.repeat(0, 16);
    }
}
