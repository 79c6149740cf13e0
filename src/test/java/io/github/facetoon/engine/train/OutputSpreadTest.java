package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import org.junit.jupiter.api.Test;

/**
 * The collapse signals: the per-image standard deviation of the output, averaged over the batch, and the fraction
 * of saturated values.
 */
class OutputSpreadTest {

    @Test
    void flatImagesHaveNoSpreadAndPhotosDo() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            // two flat images of different colours: flat each, although the batch as a whole varies
            NDArray flat = m.full(new Shape(1, 3, 8, 8), -1f).concat(m.full(new Shape(1, 3, 8, 8), 0.5f), 0);
            assertEquals(0, CartoonReplica.spread(flat).getFloat(), 1e-6);
            // ±0.3 checkerboards: standard deviation 0.3 each
            NDArray board = m.arange(64f).reshape(8, 8).toType(ai.djl.ndarray.types.DataType.INT32, false)
                    .mod(2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(0.6f).sub(0.3f)
                    .broadcast(new Shape(2, 3, 8, 8));
            assertEquals(0.3, CartoonReplica.spread(board).getFloat(), 1e-5);
            assertTrue(CartoonReplica.spread(board).getFloat() > CollapseGuard.COLLAPSED_SPREAD);
        }
    }

    @Test
    void twoColourBlobsAreSaturatedAndPhotosAreNot() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            // yellow (1, 1, -1) on black (-1, -1, -1): every value at an end of the range, yet a large spread
            NDArray blobs = m.full(new Shape(1, 3, 8, 4), -1f).concat(
                    m.create(new float[] {1, 1, -1}).reshape(1, 3, 1, 1).broadcast(new Shape(1, 3, 8, 4)), 3);
            assertEquals(1, CartoonReplica.saturation(blobs).getFloat(), 1e-6);
            assertTrue(CartoonReplica.spread(blobs).getFloat() > CollapseGuard.COLLAPSED_SPREAD,
                    "the spread alone does not see this collapse");
            // a photo-like ramp over (-0.9, 0.9): nothing saturated
            NDArray ramp = m.linspace(-0.9f, 0.9f, 3 * 64).reshape(1, 3, 8, 8);
            assertEquals(0, CartoonReplica.saturation(ramp).getFloat(), 1e-6);
            // a quarter of the values at the ends (black hair, white collar): still healthy
            NDArray some = m.full(new Shape(1, 3, 8, 8), 0.2f).concat(m.full(new Shape(1, 3, 8, 8), 0.2f), 0)
                    .concat(m.full(new Shape(1, 3, 8, 8), -1f), 0).concat(m.full(new Shape(1, 3, 8, 8), 0.3f), 0);
            assertEquals(0.25, CartoonReplica.saturation(some).getFloat(), 1e-6);
            assertTrue(CartoonReplica.saturation(some).getFloat() < CollapseGuard.COLLAPSED_SATURATION);
        }
    }

    @Test
    void aSmoothWashHasNoDetailThoughItSpreadsAndAPhotoKeepsItsOwn() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            // ±0.3 checkerboard "photos"
            NDArray photo = m.arange(256f).reshape(16, 16).toType(ai.djl.ndarray.types.DataType.INT32, false)
                    .add(m.arange(16).reshape(16, 1)).mod(2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mul(0.6f).sub(0.3f).broadcast(new Shape(2, 3, 16, 16));
            assertEquals(1, CartoonReplica.detail(photo, photo).getFloat(), 1e-4);
            // a vertical ramp from -0.8 to 0.8: spread 0.47, steps of 0.1 against the board's 0.6
            NDArray wash = m.linspace(-0.8f, 0.8f, 16).reshape(1, 1, 16, 1).broadcast(new Shape(2, 3, 16, 16));
            assertTrue(CartoonReplica.spread(wash).getFloat() > CollapseGuard.COLLAPSED_SPREAD);
            float washDetail = CartoonReplica.detail(wash, photo).getFloat();
            assertTrue(washDetail < 0.15, "ramp: " + washDetail);
            NDArray gentle = m.linspace(-0.1f, 0.1f, 16).reshape(1, 1, 16, 1).broadcast(new Shape(2, 3, 16, 16));
            assertTrue(CartoonReplica.detail(gentle, photo).getFloat() < CollapseGuard.COLLAPSED_DETAIL);
            // a cartoon-like output: half the board's contrast keeps half its detail
            assertEquals(0.5, CartoonReplica.detail(photo.mul(0.5f), photo).getFloat(), 1e-4);
        }
    }
}
