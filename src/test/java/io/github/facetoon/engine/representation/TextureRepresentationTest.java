package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.representation.TextureRepresentation.ColorShift;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The random colour shift: one weight triple, single-channel output, in range. */
class TextureRepresentationTest {

    private static NDManager manager;
    private final TextureRepresentation texture = new TextureRepresentation();

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
    void outputIsSingleChannelAndInRange() {
        NDArray images = manager.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8));
        NDArray grey = texture.apply(images, ColorShift.sample(new Random(1)));
        assertEquals(new Shape(2, 1, 8, 8), grey.getShape());
        assertTrue(grey.min().getFloat() >= -1f && grey.max().getFloat() <= 1f);
        NDArray extremes = manager.create(new float[] {-1, 1, -1, 1, -1, 1}, new Shape(1, 3, 1, 2));
        float[] e = texture.apply(extremes, new ColorShift(0.3f, 0.6f, 0.2f)).toFloatArray();
        assertArrayEquals(new float[] {-1f, 1f}, e, 1e-6f);
    }

    @Test
    void equalsTheFormulaForAKnownTriple() {
        float[] rgb = {0.5f, -0.25f, 0.75f, 0.1f, -1f, 0.2f};   // R plane, G plane, B plane of a 1×2 image
        NDArray image = manager.create(rgb, new Shape(1, 3, 1, 2));
        ColorShift shift = new ColorShift(0.25f, 0.5f, 0.125f);
        float[] grey = texture.apply(image, shift).toFloatArray();
        float sum = 0.875f;
        float expected0 = (0.25f * 0.5f + 0.5f * 0.75f + 0.125f * -1f) / sum;
        float expected1 = (0.25f * -0.25f + 0.5f * 0.1f + 0.125f * 0.2f) / sum;
        assertArrayEquals(new float[] {expected0, expected1}, grey, 1e-6f);
    }

    @Test
    void oneShiftUsesTheSameWeightsForBothBatches() {
        ColorShift shift = ColorShift.sample(new Random(7));
        NDArray fake = manager.randomUniform(-1f, 1f, new Shape(2, 3, 4, 4));
        NDArray real = manager.randomUniform(-1f, 1f, new Shape(3, 3, 4, 4));
        assertArrayEquals(byFormula(fake, shift), texture.apply(fake, shift).toFloatArray(), 1e-6f);
        assertArrayEquals(byFormula(real, shift), texture.apply(real, shift).toFloatArray(), 1e-6f);
        // One pixel value maps to one grey everywhere in the batch: no per-pixel noise.
        NDArray uniform = manager.full(new Shape(2, 3, 4, 4), 0.3f);
        NDArray g = texture.apply(uniform, shift);
        assertEquals(0f, g.max().getFloat() - g.min().getFloat(), 1e-7f);
    }

    private static float[] byFormula(NDArray images, ColorShift s) {
        float[] v = images.toFloatArray();
        int n = (int) images.getShape().get(0);
        int plane = (int) (images.getShape().get(2) * images.getShape().get(3));
        float[] out = new float[n * plane];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < plane; k++) {
                int base = i * 3 * plane + k;
                out[i * plane + k] = (s.red() * v[base] + s.green() * v[base + plane] + s.blue() * v[base + 2 * plane])
                        / (s.red() + s.green() + s.blue());
            }
        }
        return out;
    }

    @Test
    void samplesFallWithinTheReferenceRanges() {
        Random rng = new Random(42);
        for (int i = 0; i < 2000; i++) {
            ColorShift s = ColorShift.sample(rng);
            assertTrue(s.red() >= ColorShift.RED_MIN && s.red() <= ColorShift.RED_MAX, "red " + s.red());
            assertTrue(s.green() >= ColorShift.GREEN_MIN && s.green() <= ColorShift.GREEN_MAX, "green " + s.green());
            assertTrue(s.blue() >= ColorShift.BLUE_MIN && s.blue() <= ColorShift.BLUE_MAX, "blue " + s.blue());
        }
    }

    @Test
    void samplingIsReproducibleFromTheSeed() {
        assertEquals(ColorShift.sample(new Random(3)), ColorShift.sample(new Random(3)));
    }
}
