package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceDescriptorNetworkTest {

    private static FaceDescriptorNetwork net;

    @BeforeAll
    static void open() throws IOException {
        EngineRuntime.ensureConfigured();
        net = FaceDescriptorNetwork.openDefault(Device.cpu());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void descriptorIs128DForAnyCropSize() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertEquals(new Shape(2, 128), net.descriptor(TestImages.batch(m, 2, 128)).getShape());
            assertEquals(new Shape(1, 128), net.descriptor(TestImages.batch(m, 1, 150)).getShape());
        }
    }

    @Test
    void descriptorIsDeterministicAndCloserForABlurredCopyThanForAnotherScene() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int size = 128;
            float[] a = TestImages.scene(size, 1);
            NDArray da = net.descriptor(m.create(a, new Shape(1, 3, size, size)));
            assertArrayEquals(da.toFloatArray(), net.descriptor(m.create(a, new Shape(1, 3, size, size)))
                    .toFloatArray());
            NDArray blurred = net.descriptor(m.create(TestImages.blur(a, size, 1), new Shape(1, 3, size, size)));
            NDArray other = net.descriptor(m.create(TestImages.scene(size, 2), new Shape(1, 3, size, size)));
            float near = da.sub(blurred).norm().getFloat();
            float far = da.sub(other).norm().getFloat();
            assertTrue(near < far, "blurred copy " + near + " vs other scene " + far);
        }
    }

    @Test
    void inputGetsAFiniteNonZeroGradientWhileWeightsStayFrozen() {
        List<NDArray> weights = net.weights();
        List<float[]> before = new ArrayList<>();
        for (NDArray w : weights) {
            before.add(w.toFloatArray());
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray faces = TestImages.batch(m, 2, 128);
            faces.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(net.descriptor(faces).pow(2).sum());
            }
            float[] g = faces.getGradient().toFloatArray();
            double norm = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v));
                norm += v * v;
            }
            assertTrue(norm > 0);
        }
        for (int i = 0; i < weights.size(); i++) {
            assertFalse(weights.get(i).hasGradient());
            assertArrayEquals(before.get(i), weights.get(i).toFloatArray());
        }
    }

    @Test
    void damagedWeightsGiveAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path manifest = dir.resolve(FaceDescriptorNetwork.MANIFEST);
        try (InputStream in = getClass().getResourceAsStream(
                MobileNetFeatureNetwork.RESOURCE_FOLDER + "/" + FaceDescriptorNetwork.MANIFEST)) {
            Files.copy(in, manifest);
        }
        Files.write(dir.resolve("face_recognition_model.bin"), new byte[1000]);
        IOException e = assertThrows(IOException.class, () -> FaceDescriptorNetwork.open(manifest, Device.cpu()));
        assertTrue(e.getMessage().contains(manifest.toString()), e.getMessage());
    }
}
