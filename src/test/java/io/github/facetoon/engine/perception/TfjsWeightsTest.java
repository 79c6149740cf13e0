package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TfjsWeightsTest {

    private static final String MANIFEST = "[{\"paths\":[\"a.bin\"],\"weights\":["
            + "{\"name\":\"q\",\"shape\":[2,2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint8\",\"min\":-1.0,\"scale\":0.5}},"
            + "{\"name\":\"f\",\"shape\":[3],\"dtype\":\"float32\"}]}]";

    private static byte[] shard() {
        ByteBuffer b = ByteBuffer.allocate(4 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 1).put((byte) 2).put((byte) 255);
        b.putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
        return b.array();
    }

    private static TfjsWeights read(String manifest, byte[] shard) throws IOException {
        InputStream m = new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8));
        return TfjsWeights.read(m, name -> new ByteArrayInputStream(shard), "test");
    }

    @Test
    void dequantizesUint8AsMinPlusScaleTimesQ() throws IOException {
        TfjsWeights w = read(MANIFEST, shard());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 126.5f}, w.tensor("q", 2, 2).values(), 1e-6f);
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, w.tensor("f", 3).values());
    }

    @Test
    void truncatedShardNamesTheTensor() {
        byte[] cut = java.util.Arrays.copyOf(shard(), 10);
        IOException e = assertThrows(IOException.class, () -> read(MANIFEST, cut));
        assertTrue(e.getMessage().contains("'f'"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTheTensor() throws IOException {
        TfjsWeights w = read(MANIFEST, shard());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.tensor("q", 4));
        assertTrue(e.getMessage().contains("'q'") && e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.tensor("missing"));
    }

    @Test
    void leftoverBytesAreAnError() {
        byte[] longer = java.util.Arrays.copyOf(shard(), 20);
        assertThrows(IOException.class, () -> read(MANIFEST, longer));
    }

    @Test
    void readsTheShippedLandmarkModel() throws IOException {
        TfjsWeights w = TfjsWeights.fromResource("/assets/models/face-api", "face_landmark_68_model-weights_manifest.json");
        assertEquals(49, w.names().size());
        assertEquals(3 * 3 * 3 * 32, w.tensor("dense0/conv0/filters", 3, 3, 3, 32).values().length);
    }

    @Test
    void everyShippedManifestMatchesItsWeights() throws IOException {
        for (String m : new String[] {"face_landmark_68_model", "tiny_face_detector_model", "ssd_mobilenetv1_model"}) {
            TfjsWeights w = TfjsWeights.fromResource("/assets/models/face-api", m + "-weights_manifest.json");
            assertTrue(w.names().size() > 10, m);
        }
    }
}
