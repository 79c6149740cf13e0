package io.github.facetoon.engine.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each loss family against values computed by hand on tiny tensors. */
class LossFamiliesTest {

    @BeforeAll
    static void engine() {
        EngineRuntime.ensureConfigured();
    }

    @Test
    void totalVariationOfA2x2Image() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // one channel: [[0, 1], [3, 5]]: vertical diffs 3, 4 -> mean 12.5; horizontal 1, 2 -> mean 2.5
            NDArray x = m.create(new float[] {0, 1, 3, 5}, new Shape(1, 1, 2, 2));
            assertEquals((12.5 + 2.5) / (3.0 * 256 * 256), TotalVariationLoss.compute(x).getFloat(), 1e-9);
            assertEquals(0f, TotalVariationLoss.compute(m.full(new Shape(2, 3, 4, 4), 0.7f)).getFloat(), 0f);
        }
    }

    @Test
    void lsganGeneratorAndDiscriminatorTerms() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray fake = m.create(new float[] {0f, 2f}, new Shape(1, 1, 1, 2));
            NDArray real = m.create(new float[] {1f, 3f}, new Shape(1, 1, 1, 2));
            // generator: mean((0-1)², (2-1)²) = 1
            assertEquals(1f, LsganLoss.generator(fake).getFloat(), 1e-6);
            // discriminator: 0.5·(mean((1-1)², (3-1)²) + mean(0², 2²)) = 0.5·(2 + 2) = 2
            assertEquals(2f, LsganLoss.discriminator(real, fake).getFloat(), 1e-6);
            assertEquals(0f, LsganLoss.generator(m.ones(new Shape(1, 1, 2, 2))).getFloat(), 0f);
        }
    }

    @Test
    void contentDistanceIsRelativeToThePhotoFeatures() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray photo = m.create(new float[] {2f, -2f, 4f, -4f}, new Shape(1, 1, 2, 2));
            NDArray out = m.create(new float[] {1f, -2f, 4f, -1f}, new Shape(1, 1, 2, 2));
            NDArray norm = ContentLoss.normaliser(photo);
            assertEquals(3f, norm.getFloat(), 1e-5);
            // mean|Δ| = (1 + 0 + 0 + 3)/4 = 1, relative 1/3, times K
            assertEquals(ContentLoss.SCALE / 3, ContentLoss.distance(photo, out, norm).getFloat(), 1e-6);
            // scaling the features (another network's units) leaves the term unchanged
            NDArray photo10 = photo.mul(10);
            assertEquals(ContentLoss.SCALE / 3,
                    ContentLoss.distance(photo10, out.mul(10), ContentLoss.normaliser(photo10)).getFloat(), 1e-6);
            assertEquals(0f, ContentLoss.distance(photo, photo, norm).getFloat(), 0f);
        }
    }
}
