package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java port against TensorFlow.js on the same input: {@code scripts/face-api-reference.mjs} wrote the
 * reference (tfjs ops with TF "same" padding for MobileNetV1 conv_5).
 */
class FaceApiReferenceTest {

    private static JsonObject reference;

    @BeforeAll
    static void read() throws IOException {
        EngineRuntime.ensureConfigured();
        try (InputStream in = FaceApiReferenceTest.class.getResourceAsStream("/perception/face-api-reference.json")) {
            if (in == null) {
                throw new IOException("test fixture /perception/face-api-reference.json is missing");
            }
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** The script's pattern, as (1,3,size,size) RGB in [-1,1]. */
    private static NDArray pattern(NDManager m, int size) {
        float[] v = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    v[(c * size + y) * size + x] = (float) (0.9 * Math.sin(0.13 * (x + 1) * (c + 1) + 0.29 * y + 0.5 * c)
                            * Math.cos(0.07 * (x - y)));
                }
            }
        }
        return m.create(v, new Shape(1, 3, size, size));
    }

    private static float[] floats(String key) {
        JsonArray a = reference.getAsJsonArray(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }

    /** Largest absolute difference relative to the reference's largest magnitude. */
    private static double relativeError(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }

    @Test
    void mobileNetConv5MatchesTensorFlowJs() throws IOException {
        int size = reference.get("mobilenet_input_size").getAsInt();
        try (MobileNetFeatureNetwork net = MobileNetFeatureNetwork.builder().optAntiAlias(false).build();
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = net.features(pattern(m, size));
            assertEquals(new Shape(1, 256, size / 8, size / 8), out.getShape());
            double err = relativeError(floats("mobilenet_conv5"), out.toFloatArray());
            assertTrue(err < 1e-4, "relative error " + err);
        }
    }
}
