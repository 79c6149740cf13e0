package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import org.junit.jupiter.api.Test;

/** The collapse signal: the per-image standard deviation of the output, averaged over the batch. */
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
            assertTrue(CartoonReplica.spread(board).getFloat() > CartoonTrainingLoop.COLLAPSED_SPREAD);
        }
    }
}
