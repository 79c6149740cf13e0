package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guided filter's linear model, the part guided upsampling resamples. */
class GuidedFilterCoefficientsTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        EngineRuntime.ensureConfigured();
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void coefficientsAppliedToTheGuideGiveTheFilteredImage() {
        manager.getEngine().setRandomSeed(3);
        NDArray guide = manager.randomUniform(-1f, 1f, new Shape(1, 3, 19, 26));
        NDArray input = manager.randomUniform(-1f, 1f, new Shape(1, 3, 19, 26));
        GuidedFilter f = new GuidedFilter(1, 5e-3f);
        NDList ab = f.coefficients(guide, input);
        NDArray viaModel = ab.get(0).mul(guide).add(ab.get(1));
        float maxDiff = viaModel.sub(f.filter(guide, input)).abs().max().getFloat();
        assertTrue(maxDiff < 1e-5f, "max difference " + maxDiff);
    }

    @Test
    void aFlatGuideGivesZeroSlopeAndTheInputsWindowMean() {
        NDArray guide = manager.full(new Shape(1, 3, 8, 8), 0.2f);
        NDArray input = manager.full(new Shape(1, 3, 8, 8), -0.4f);
        NDList ab = new GuidedFilter(2, 1e-2f).coefficients(guide, input);
        assertEquals(0f, ab.get(0).abs().max().getFloat(), 1e-6f);
        assertEquals(0f, ab.get(1).sub(-0.4f).abs().max().getFloat(), 1e-6f);
    }
}
