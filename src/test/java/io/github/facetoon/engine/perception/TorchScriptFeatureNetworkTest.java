package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.perception.TorchScriptFeatureNetwork.InputNormalization;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript path against a tiny module made by {@code scripts/make-torchscript-fixture.py}. */
class TorchScriptFeatureNetworkTest {

    private static JsonObject expected;

    @TempDir
    Path dir;
    private Path fixture;

    @BeforeAll
    static void readExpected() throws IOException {
        EngineRuntime.ensureConfigured();
        try (InputStream in = resource("tiny-features-expected.json")) {
            expected = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @BeforeEach
    void copyFixture() throws IOException {
        fixture = dir.resolve("tiny-features.pt");
        try (InputStream in = resource("tiny-features.pt")) {
            Files.copy(in, fixture);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TorchScriptFeatureNetworkTest.class.getResourceAsStream("/perception/" + name);
        if (in == null) {
            throw new IOException("test fixture /perception/" + name + " is missing");
        }
        return in;
    }

    private static float[] floats(String key) {
        JsonArray a = expected.getAsJsonArray(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }

    private static Shape shape(String key) {
        JsonArray a = expected.getAsJsonArray(key);
        long[] s = new long[a.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get(i).getAsLong();
        }
        return new Shape(s);
    }

    @Test
    void outputMatchesPyTorchWithImagenetNormalisation() throws IOException {
        try (TorchScriptFeatureNetwork net = TorchScriptFeatureNetwork.open(fixture, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = net.features(m.create(floats("input"), shape("input_shape")));
            assertEquals(shape("output_shape"), out.getShape());
            assertArrayEquals(floats("output_imagenet"), out.toFloatArray(), 1e-5f);
            assertEquals(m, out.getManager());
        }
    }

    @Test
    void outputMatchesPyTorchWithoutNormalisation() throws IOException {
        try (TorchScriptFeatureNetwork net = TorchScriptFeatureNetwork.open(fixture, Device.cpu(),
                InputNormalization.NONE); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = net.features(m.create(floats("input"), shape("input_shape")));
            assertArrayEquals(floats("output_none"), out.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void moduleRunsInEvalModeSoOutputIsDeterministic() throws IOException {
        // The fixture has a dropout layer: in training mode two forwards would differ.
        try (TorchScriptFeatureNetwork net = TorchScriptFeatureNetwork.open(fixture, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(floats("input"), shape("input_shape"));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                float[] a = net.features(x).toFloatArray();
                float[] b = net.features(x).toFloatArray();
                assertArrayEquals(a, b);
            }
        }
    }

    @Test
    void gradientReachesTheInputAndMatchesPyTorchWhileParametersStayFrozen() throws IOException {
        try (TorchScriptFeatureNetwork net = TorchScriptFeatureNetwork.open(fixture, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<float[]> before = new ArrayList<>();
            ai.djl.nn.ParameterList params = net.block().getParameters();
            assertFalse(params.isEmpty());
            for (var p : params) {
                before.add(p.getValue().getArray().toFloatArray());
            }
            NDArray x = m.create(floats("input"), shape("input_shape"));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(net.features(x).sum());
            }
            assertArrayEquals(floats("grad_of_sum_imagenet"), x.getGradient().toFloatArray(), 1e-4f);
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getValue().getArray();
                assertFalse(w.hasGradient(), params.get(i).getKey() + " requires a gradient");
                assertArrayEquals(before.get(i), w.toFloatArray());
            }
        }
    }

    @Test
    void caffeNormalisationIsBgrIn255MinusMean() throws IOException {
        try (TorchScriptFeatureNetwork net = TorchScriptFeatureNetwork.open(fixture, Device.cpu(),
                InputNormalization.CAFFE_BGR); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // R = 1, G = 0, B = -1 -> B = 0 - 103.939, G = 127.5 - 116.779, R = 255 - 123.68
            NDArray rgb = m.create(new float[] {1f, 0f, -1f}, new Shape(1, 3, 1, 1));
            assertArrayEquals(new float[] {-103.939f, 10.721f, 131.32f}, net.normalize(rgb).toFloatArray(), 1e-3f);
        }
    }

    @Test
    void missingFileGivesAnErrorNamingIt() {
        Path missing = dir.resolve("no-such-vgg19.pt");
        IOException e = assertThrows(IOException.class, () -> TorchScriptFeatureNetwork.open(missing, Device.cpu()));
        assertTrue(e.getMessage().contains("no-such-vgg19.pt"), e.getMessage());
    }

    @Test
    void damagedFileGivesAnErrorNamingIt() throws IOException {
        Path damaged = dir.resolve("damaged-vgg19.pt");
        byte[] data = Files.readAllBytes(fixture);
        Files.write(damaged, Arrays.copyOf(data, data.length / 3));
        IOException e = assertThrows(IOException.class, () -> TorchScriptFeatureNetwork.open(damaged, Device.cpu()));
        assertTrue(e.getMessage().contains(damaged.toString()), e.getMessage());
    }

    @Test
    void factoryGivesTheBundledDefaultWithoutAFileAndTorchScriptWithOne() throws IOException {
        try (FeatureNetwork bundled = FeatureNetworks.open(null, Device.cpu());
                FeatureNetwork user = FeatureNetworks.open(fixture, Device.cpu())) {
            assertInstanceOf(MobileNetFeatureNetwork.class, bundled);
            assertInstanceOf(TorchScriptFeatureNetwork.class, user);
            assertEquals("torchscript/tiny-features.pt", user.name());
        }
    }
}
