package io.github.facetoon.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/** The bundled generator's inference: fitting at any size, tiles, and strength by blending. */
class CartoonizerTest {

    private static Cartoonizer bundled;

    @BeforeAll
    static void setUp() throws Exception {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        bundled = Cartoonizer.bundled(Device.cpu());
    }

    @AfterAll
    static void tearDown() {
        bundled.close();
    }

    /** The campaign's base: a pretrained generator, which has no base of its own. */
    private static final java.nio.file.Path BASE = java.nio.file.Path.of("checkpoints/campaign/base.ftc");

    private static Mat apply(Mat working, double strength) {
        return apply(bundled, working, strength);
    }

    private static Mat apply(Cartoonizer model, Mat working, double strength) {
        float[][] ab = model.fit(working, strength);
        return GuidedUpsampler.apply(ab[0], ab[1], working.rows(), working.cols(), working);
    }

    @Test
    void sidesThatAreNotMultiplesOfEightAreHandled() {
        Mat photo = new Mat(SyntheticPhotos.photo(96, new Random(4)), new Rect(0, 0, 93, 77)).clone();
        Mat out = apply(photo, 1.0);
        assertEquals(77, out.rows());
        assertEquals(93, out.cols());
    }

    @Test
    void atStrengthOneTheFitReproducesTheClassicInferencePath() {
        Mat photo = SyntheticPhotos.photo(96, new Random(5));
        Mat direct = bundled.cartoonize(photo);
        Mat viaFit = apply(photo, 1.0);
        assertTrue(GuidedUpsamplerTest.mad(direct, viaFit) < 1.0 / 255, "mad " + GuidedUpsamplerTest.mad(direct, viaFit));
    }

    @Test
    void theBundledModelInterpolatesTowardItsBaseGenerator() throws Exception {
        assertTrue(bundled.strengthByInterpolation(), "the bundled model carries its base generator");
        Mat photo = SyntheticPhotos.photo(96, new Random(6));
        try (Cartoonizer base = Cartoonizer.fromCheckpoint(BASE, Device.cpu())) {
            float[][] zero = bundled.fit(photo, 0.0);
            float[][] baseAtOne = base.fit(photo, 1.0);
            assertArrayEquals(baseAtOne[0], zero[0], "strength 0 is the base generator");
            assertArrayEquals(baseAtOne[1], zero[1]);
        }
        float[][] again = bundled.fit(photo, 1.0);
        Mat one = GuidedUpsampler.apply(again[0], again[1], 96, 96, photo);
        assertTrue(GuidedUpsamplerTest.mad(one, bundled.cartoonize(photo)) < 1.0 / 255, "back at 1: the trained weights");
    }

    @Test
    void withoutABaseStrengthBlendsAndZeroKeepsThePhoto() throws Exception {
        try (Cartoonizer noBase = Cartoonizer.fromCheckpoint(BASE, Device.cpu())) {
            assertFalse(noBase.strengthByInterpolation(), "a pretraining has no base of its own");
            Mat photo = SyntheticPhotos.photo(96, new Random(6));
            Mat out = apply(noBase, photo, 0.0);
            assertTrue(GuidedUpsamplerTest.mad(photo, out) < 1.0 / 255, "mad " + GuidedUpsamplerTest.mad(photo, out));
            double toFull = GuidedUpsamplerTest.mad(photo, apply(noBase, photo, 1.0));
            assertEquals(toFull / 2, GuidedUpsamplerTest.mad(photo, apply(noBase, photo, 0.5)), toFull * 0.15,
                    "half strength moves the photo half as far");
        }
    }

    @Test
    void tilesCoverTheWholeSideWithOverlap() {
        assertArrayEquals(new int[] {0}, Cartoonizer.tileStarts(Cartoonizer.TILE));
        for (int side = Cartoonizer.TILE + 8; side < 5000; side += 232) {
            int[] s = Cartoonizer.tileStarts(side);
            assertEquals(0, s[0]);
            assertEquals(side - Cartoonizer.TILE, s[s.length - 1]);
            for (int i = 1; i < s.length; i++) {
                assertEquals(0, s[i] % 8, "tiles start on multiples of 8");
                assertTrue(s[i - 1] + Cartoonizer.TILE - s[i] >= Cartoonizer.OVERLAP - 8, "overlap at side " + side);
            }
        }
    }

    @Test
    void aTiledWorkingImageMatchesTheWholeOne() {
        // 1200×1000 is over the tiling threshold: compare its centre with the same region cartoonized alone.
        Mat big = SyntheticPhotos.photo(1200, new Random(7));
        Mat wide = new Mat(big, new Rect(0, 0, 1200, 1000)).clone();
        Mat tiled = apply(wide, 1.0);
        Mat region = new Mat(wide, new Rect(304, 200, 592, 600)).clone();
        Mat alone = apply(region, 1.0);
        Mat tiledRegion = new Mat(tiled, new Rect(304, 200, 592, 600));
        // Away from the region's own border, where the network sees different surroundings.
        Mat a = new Mat(alone, new Rect(48, 48, 496, 504));
        Mat b = new Mat(tiledRegion, new Rect(48, 48, 496, 504));
        assertTrue(GuidedUpsamplerTest.mad(a, b) < 0.01, "tiled vs whole mad " + GuidedUpsamplerTest.mad(a, b));
    }

    @Test
    void aStrengthOutOfRangeIsRefused() {
        Mat photo = SyntheticPhotos.photo(32, new Random(8));
        assertThrows(IllegalArgumentException.class, () -> bundled.fit(photo, -0.1));
        assertThrows(IllegalArgumentException.class, () -> bundled.fit(photo, 2.5));
    }
}
