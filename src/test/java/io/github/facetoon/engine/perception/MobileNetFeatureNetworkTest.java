package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MobileNetFeatureNetworkTest {

    private static MobileNetFeatureNetwork net;

    @BeforeAll
    static void open() throws IOException {
        EngineRuntime.ensureConfigured();
        net = MobileNetFeatureNetwork.openDefault(Device.cpu());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void defaultIsAntiAliasedConv5BeforeActivationWithStride8And256Channels() {
        assertEquals("face-api-ssd-mobilenetv1/conv_5+blur121", net.name());
        assertEquals(8, net.stride());
        assertEquals(256, net.channels());
    }

    @Test
    void shapesFor128And256Inputs() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertEquals(new Shape(2, 256, 16, 16), net.features(m.zeros(new Shape(2, 3, 128, 128))).getShape());
            assertEquals(new Shape(1, 256, 32, 32), net.features(m.zeros(new Shape(1, 3, 256, 256))).getShape());
        }
    }

    @Test
    void outputBelongsToTheInputsManager() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = net.features(m.zeros(new Shape(1, 3, 32, 32)));
            assertEquals(m, out.getManager());
        }
    }

    @Test
    void outputIsDeterministic() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray photo = TestImages.batch(m, 2, 64);
            float[] a = net.features(photo).toFloatArray();
            float[] b = net.features(photo).toFloatArray();
            assertArrayEquals(a, b);
        }
    }

    @Test
    void inputGetsAFiniteNonZeroGradientWhileWeightsStayFrozen() {
        NDList weights = net.weights();
        List<float[]> before = new ArrayList<>();
        for (NDArray w : weights) {
            before.add(w.toFloatArray());
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray photo = TestImages.batch(m, 2, 64);
            photo.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(net.features(photo).abs().mean());
            }
            NDArray grad = photo.getGradient();
            float[] g = grad.toFloatArray();
            double norm = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v));
                norm += v * v;
            }
            assertTrue(norm > 0, "the input gradient is zero");
        }
        for (int i = 0; i < weights.size(); i++) {
            assertFalse(weights.get(i).hasGradient(), "weight " + i + " requires a gradient");
            assertArrayEquals(before.get(i), weights.get(i).toFloatArray());
        }
    }

    @Test
    void strideTwoUsesTensorFlowSamePaddingWithTheExtraPixelBottomRight() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // A 3x3 kernel that reads only its top-left tap: TF "same" (pad 0 before, 1 after) reads x[2i][2j].
            float[] k = new float[9];
            k[0] = 1f;
            NDArray kernel = m.create(k, new Shape(1, 1, 3, 3));
            float[] img = new float[16];
            for (int i = 0; i < 16; i++) {
                img[i] = i;
            }
            NDArray x = m.create(img, new Shape(1, 1, 4, 4));
            NDArray y = TfConvolutions.convSame(x, kernel, null, 2, 1);
            assertArrayEquals(new float[] {0, 2, 8, 10}, y.toFloatArray());
            // Stride 1 pads one pixel on each side: the top-left tap reads x[i-1][j-1].
            NDArray z = TfConvolutions.convSame(x, kernel, null, 1, 1);
            assertEquals(0f, z.toFloatArray()[0]);
            assertEquals(0f, z.toFloatArray()[5]);
        }
    }

    @Test
    void antiAliasBlurLeavesAConstantImageUnchangedEdgesIncluded() throws IOException {
        try (MobileNetFeatureNetwork plain = MobileNetFeatureNetwork.builder().optAntiAlias(false).build();
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray grey = m.full(new Shape(1, 3, 32, 32), 0.3f);
            assertArrayEquals(plain.features(grey).toFloatArray(), net.features(grey).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void antiAliasTakesTheCheckerboardOutOfTheInputGradient() throws IOException {
        try (MobileNetFeatureNetwork plain = MobileNetFeatureNetwork.builder().optAntiAlias(false).build()) {
            double without = checkerboardEnergy(plain);
            double with = checkerboardEnergy(net);
            assertTrue(with < without / 3, "with blur " + with + ", without " + without);
        }
    }

    /**
     * Share of the content-loss input gradient's energy in the diagonal 2×2 Haar coefficient: 0.25 for white
     * noise, near 0 for a smooth field, 1 for a pure checkerboard.
     */
    private static double checkerboardEnergy(FeatureNetwork network) {
        int size = 128;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] photo = TestImages.scene(size, 9);
            NDArray x = m.create(photo, new Shape(1, 3, size, size));
            x.setRequiresGradient(true);
            NDArray target = network.features(m.create(TestImages.blur(photo, size, 2), new Shape(1, 3, size, size)));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(network.features(x).sub(target.stopGradient()).abs().mean());
            }
            float[] g = x.getGradient().toFloatArray();
            double diagonal = 0;
            double total = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y += 2) {
                    for (int xx = 0; xx < size; xx += 2) {
                        int i = (c * size + y) * size + xx;
                        double hh = (g[i] - g[i + 1] - g[i + size] + g[i + size + 1]) / 2;
                        diagonal += hh * hh;
                        total += g[i] * g[i] + g[i + 1] * g[i + 1] + g[i + size] * g[i + size]
                                + g[i + size + 1] * g[i + size + 1];
                    }
                }
            }
            return diagonal / total;
        }
    }

    @Test
    void featureDistanceGrowsWithBlurStrength() {
        int size = 128;
        float[] photo = TestImages.scene(size, 3);
        double[] sigmas = {0.5, 1, 2, 4, 8};
        double previous = 0;
        for (double sigma : sigmas) {
            double d = featureDistance(photo, TestImages.blur(photo, size, sigma), size);
            assertTrue(d > previous, "distance " + d + " at sigma " + sigma + " is not above " + previous);
            previous = d;
        }
    }

    @Test
    void featureDistanceGrowsAsColoursAreQuantisedMoreCoarsely() {
        int size = 128;
        float[] photo = TestImages.scene(size, 5);
        int[] levels = {32, 16, 8, 4, 2};
        double previous = 0;
        for (int l : levels) {
            double d = featureDistance(photo, TestImages.quantize(photo, l), size);
            assertTrue(d > previous, "distance " + d + " at " + l + " levels is not above " + previous);
            previous = d;
        }
    }

    @Test
    void truncatedWeightsFileGivesAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path manifest = copyShipped(dir);
        Path bin = dir.resolve("ssd_mobilenetv1_model.bin");
        byte[] data = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(data, data.length / 2));
        IOException e = assertThrows(IOException.class,
                () -> MobileNetFeatureNetwork.builder().optManifest(manifest).build());
        assertTrue(e.getMessage().contains(manifest.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingWeightsFileGivesAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path manifest = copyShipped(dir);
        Files.delete(dir.resolve("ssd_mobilenetv1_model.bin"));
        IOException e = assertThrows(IOException.class,
                () -> MobileNetFeatureNetwork.builder().optManifest(manifest).build());
        assertTrue(e.getMessage().contains("ssd_mobilenetv1_model.bin"), e.getMessage());
    }

    private static Path copyShipped(Path dir) throws IOException {
        for (String f : new String[] {MobileNetFeatureNetwork.MANIFEST, "ssd_mobilenetv1_model.bin"}) {
            try (var in = MobileNetFeatureNetwork.class.getResourceAsStream(
                    MobileNetFeatureNetwork.RESOURCE_FOLDER + "/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir.resolve(MobileNetFeatureNetwork.MANIFEST);
    }

    /** Mean absolute feature difference, the form of White-box's content loss. */
    static double featureDistance(FeatureNetwork network, float[] a, float[] b, int size) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray fa = network.features(m.create(a, new Shape(1, 3, size, size)));
            NDArray fb = network.features(m.create(b, new Shape(1, 3, size, size)));
            return fa.sub(fb).abs().mean().getFloat();
        }
    }

    private static double featureDistance(float[] a, float[] b, int size) {
        return featureDistance(net, a, b, size);
    }
}
