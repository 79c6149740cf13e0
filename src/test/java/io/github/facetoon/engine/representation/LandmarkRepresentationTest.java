package io.github.facetoon.engine.representation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LandmarkRepresentationTest {

    private static double[] ring(double cx, double cy, double r) {
        double[] p = new double[136];
        for (int i = 0; i < 68; i++) {
            p[2 * i] = cx + r * Math.cos(2 * Math.PI * i / 68);
            p[2 * i + 1] = cy + r * Math.sin(2 * Math.PI * i / 68);
        }
        return p;
    }

    private static PixelImage grey(int w, int h) {
        int[] argb = new int[w * h];
        Arrays.fill(argb, 0xff808080);
        return new PixelImage(w, h, argb);
    }

    @Test
    void drawsOnThePointsAndLeavesFarPixelsAlone() {
        PixelImage image = grey(100, 80);
        double[] points = ring(50, 40, 20);
        PixelImage drawn = LandmarkRepresentation.draw(image, points, false);
        assertEquals(100, drawn.width());
        assertNotEquals(0xff808080, drawn.get((int) points[0], (int) points[1]));
        assertEquals(0xff808080, drawn.get(2, 2));
        assertEquals(0xff808080, image.get((int) points[0], (int) points[1]), "the input must not change");
        PixelImage heat = LandmarkRepresentation.draw(image, points, true);
        assertEquals(0xff808080, heat.get(2, 2));
    }

    @Test
    void heatmapPeaksAtThePointsAndHasTheBatchShape() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] p = new float[2 * 68 * 2];
            Arrays.fill(p, 0.25f);                              // image 0: every point at pixel centre (4.5, 2.5)
            Arrays.fill(p, 136, 272, 0.75f);                    // image 1: at (13.5, 7.5)
            NDArray points = m.create(p, new Shape(2, 68, 2));
            NDArray heat = LandmarkRepresentation.heatmaps(points, 10, 18, 1.0);
            assertEquals(new Shape(2, 1, 10, 18), heat.getShape());
            float[] h = heat.toFloatArray();
            assertEquals(1f, h[2 * 18 + 4], 1e-6);
            assertEquals((float) Math.exp(-0.5), h[2 * 18 + 5], 1e-6);
            assertEquals(1f, h[180 + 7 * 18 + 13], 1e-6);
            assertTrue(h[180 + 2 * 18 + 4] < 1e-6);
        }
    }

    @Test
    void drawsABatch() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.zeros(new Shape(2, 3, 32, 32));
            NDArray points = m.randomUniform(0.2f, 0.8f, new Shape(2, 68, 2));
            List<PixelImage> drawn = LandmarkRepresentation.draw(images, points, true);
            assertEquals(2, drawn.size());
            assertEquals(32, drawn.get(1).height());
        }
    }
}
