package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.loss.ContentLoss;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PixelFeatureNetworkTest {

    @Test
    void theWordPixelsChoosesThePixelsAndAFileOfThatNameStaysAFile() throws IOException {
        assertTrue(FeatureNetworks.isPixels(Path.of("pixels")));
        assertFalse(FeatureNetworks.isPixels(Path.of("./pixels")));
        assertFalse(FeatureNetworks.isPixels(null));
        EngineRuntime.ensureConfigured();
        try (FeatureNetwork net = FeatureNetworks.open(Path.of("pixels"), Device.cpu())) {
            assertInstanceOf(PixelFeatureNetwork.class, net);
            assertEquals("pixels", net.name());
        }
    }

    @Test
    void theContentTermBecomesARelativePixelDistance() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); FeatureNetwork net = new PixelFeatureNetwork()) {
            NDArray photo = m.create(new float[] {0.5f, -0.5f, 0.5f, -0.5f}, new Shape(1, 1, 2, 2));
            NDArray out = m.create(new float[] {0.6f, -0.5f, 0.3f, -0.5f}, new Shape(1, 1, 2, 2));
            assertArrayEquals(photo.toFloatArray(), net.features(photo).toFloatArray());
            // mean|out − photo| = 0.075, over mean|photo| = 0.5, times K
            double d = ContentLoss.distance(net.features(photo), net.features(out),
                    ContentLoss.normaliser(net.features(photo))).getFloat();
            assertEquals(0.15 * ContentLoss.SCALE, d, 1e-6);
        }
    }
}
