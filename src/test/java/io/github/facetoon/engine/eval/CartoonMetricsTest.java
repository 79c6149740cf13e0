package io.github.facetoon.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The cartoon figures on small hand-made images whose expected values are worked out by hand in each test
 * (grey images have R = G = B = v, so Y = v / 255).
 */
class CartoonMetricsTest {

    private static final double EPS = 1e-6;

    private final List<Mat> mats = new ArrayList<>();

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    @AfterEach
    void release() {
        mats.forEach(Mat::release);
    }

    // ---- difference and cast ----

    @Test
    void identicalImagesHaveNoDifferenceAndNoCast() {
        Mat a = stepWithStripes();
        CartoonScore s = CartoonMetrics.score(a, a);
        assertEquals(0, s.mad(), EPS);
        assertArrayEquals(new double[] {0, 0, 0}, s.cast(), EPS);
        assertEquals(0, s.madWithoutCast(), EPS);
    }

    @Test
    void identicalImagesKeepTextureOne() {
        Mat a = stepWithStripes();
        assertEquals(1, CartoonMetrics.score(a, a).texture(), EPS);
    }

    @Test
    void identicalImagesKeepPaletteOneAndNoBurnOut() {
        Mat a = stepWithStripes();
        CartoonScore s = CartoonMetrics.score(a, a);
        assertEquals(1, s.palette(), EPS);
        assertEquals(0, s.burnOut(), EPS);
    }

    @Test
    void uniformShiftIsAllCast() {
        // 100 -> 120 everywhere: every difference is +20, so cast 20 per channel, MAD 20/255, nothing left over.
        CartoonScore s = CartoonMetrics.score(grey(20, 20, 100), grey(20, 20, 120));
        assertArrayEquals(new double[] {20, 20, 20}, s.cast(), EPS);
        assertEquals(20 / 255.0, s.mad(), EPS);
        assertEquals(0, s.madWithoutCast(), EPS);
    }

    @Test
    void castIsInRedGreenBlueOrder() {
        // BGR (100,100,130) against (100,100,100): red is +30, green and blue 0; MAD = 30/3/255.
        CartoonScore s = CartoonMetrics.score(colour(20, 20, 100, 100, 100), colour(20, 20, 100, 100, 130));
        assertArrayEquals(new double[] {30, 0, 0}, s.cast(), EPS);
        assertEquals(10 / 255.0, s.mad(), EPS);
    }

    @Test
    void madWithoutCastKeepsWhatIsNotAUniformShift() {
        // Photo 100; cartoon 100 on the left half, 140 on the right: cast = +20, MAD = 20/255, and after removing
        // the cast the differences are -20 and +20, so 20/255 is left.
        Mat cartoon = grey(20, 20, (r, c) -> c < 10 ? 100 : 140);
        CartoonScore s = CartoonMetrics.score(grey(20, 20, 100), cartoon);
        assertArrayEquals(new double[] {20, 20, 20}, s.cast(), EPS);
        assertEquals(20 / 255.0, s.mad(), EPS);
        assertEquals(20 / 255.0, s.madWithoutCast(), EPS);
    }

    // ---- flat share ----

    @Test
    void flatImageIsAllFlat() {
        Mat flat = grey(20, 20, 128);
        CartoonScore s = CartoonMetrics.score(flat, flat);
        assertEquals(1, s.flatPhoto(), EPS);
        assertEquals(1, s.flatCartoon(), EPS);
    }

    @Test
    void checkerboardHasNoFlatPixels() {
        Mat board = checkerboard(16, 16);
        assertEquals(0, CartoonMetrics.score(board, board).flatPhoto(), EPS);
    }

    @Test
    void flatShareLooksTwoPixelsAroundEachPixel() {
        // Columns 0-9 flat grey, 10-19 checkerboard: a 5x5 window reaches two columns either side, so columns
        // 0-7 stay flat and 8-19 do not: 8 of 20 columns.
        Mat half = grey(20, 20, (r, c) -> c < 10 ? 128 : ((r + c) % 2) * 255);
        assertEquals(8 / 20.0, CartoonMetrics.score(half, half).flatPhoto(), EPS);
    }

    @Test
    void flatGainIsCartoonMinusPhoto() {
        Mat half = grey(20, 20, (r, c) -> c < 10 ? 128 : ((r + c) % 2) * 255);
        CartoonScore s = CartoonMetrics.score(half, grey(20, 20, 128));
        assertEquals(1 - 0.4, s.flatGain(), EPS);
    }

    // ---- texture ----

    @Test
    void checkerboardMeanAbsLaplacianIsThreeAndThreeQuarters() {
        // 16x16 of Y 0/1. Interior pixel: four opposite neighbours, |lap| = 4 (196 pixels). Border pixel with
        // replicate: one neighbour is itself, |lap| = 3 (56 pixels). Corner: |lap| = 2 (4 pixels).
        // (196*4 + 56*3 + 4*2) / 256 = 960 / 256 = 3.75.
        assertEquals(3.75, CartoonMetrics.meanAbsLaplacian(checkerboard(16, 16)), EPS);
    }

    @Test
    void textureIsTheRatioOfMeanAbsLaplacians() {
        // See stepWithStripes: per row the photo's |lap| sums to 44d + 320 and the plain step's to 320 (8-bit
        // units), with d = 4.
        CartoonScore s = CartoonMetrics.score(stepWithStripes(), step());
        assertEquals(320.0 / (320 + 44 * 4), s.texture(), EPS);
    }

    @Test
    void photoEdgesAreTheStepDilated() {
        Mat y = CartoonMetrics.luminance(stepWithStripes());
        Mat edges = CartoonMetrics.photoEdges(y);
        mats.add(y);
        mats.add(edges);
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                boolean edge = edges.get(r, c)[0] > 0;
                if (c == 9 || c == 10) {
                    assertTrue(edge, "the step at column " + c + " row " + r + " is an edge");
                } else if (c <= 6 || c >= 13) {
                    assertTrue(!edge, "column " + c + " row " + r + " (stripes or flat) is not an edge");
                }
            }
        }
    }

    @Test
    void textureOnEdgesIgnoresChangesAwayFromEdges() {
        // The edge band lies within columns 8-11, whose Laplacian only sees columns 7-12: the same in both.
        assertEquals(1, CartoonMetrics.score(stepWithStripes(), step()).textureOnEdges(), EPS);
    }

    @Test
    void textureOffEdgesIsZeroWhenOnlyTheEdgeIsLeft() {
        // The plain step's Laplacian is non-zero only at columns 9 and 10, both inside the edge band.
        assertEquals(0, CartoonMetrics.score(stepWithStripes(), step()).textureOffEdges(), EPS);
    }

    @Test
    void textureIsNaNWhenThePhotoHasNone() {
        CartoonScore s = CartoonMetrics.score(grey(16, 16, 128), checkerboard(16, 16));
        assertTrue(Double.isNaN(s.texture()), "texture");
        assertTrue(Double.isNaN(s.textureOnEdges()), "a flat photo has no edges");
        assertTrue(Double.isNaN(s.textureOffEdges()), "off edges");
    }

    // ---- ink ----

    @Test
    void darkLineIsInk() {
        // Row 10 black on 128 grey: each of its pixels has 9 black of 81 in its 9x9 window, mean (72/81)*128/255
        // = 0.446, at least 0.15 above 0, so it is ink; grey pixels are never below their mean. 20 of 400.
        Mat line = grey(20, 20, (r, c) -> r == 10 ? 0 : 128);
        CartoonScore s = CartoonMetrics.score(grey(20, 20, 128), line);
        assertEquals(0, s.inkPhoto(), EPS);
        assertEquals(20 / 400.0, s.inkCartoon(), EPS);
        assertEquals(20 / 400.0, s.inkGain(), EPS);
    }

    @Test
    void faintLineIsNotInk() {
        // A line of 110 on 128: (128 - 110)/255 = 0.07 below the surroundings at most, under 0.15.
        Mat line = grey(20, 20, (r, c) -> r == 10 ? 110 : 128);
        assertEquals(0, CartoonMetrics.score(line, line).inkPhoto(), EPS);
    }

    // ---- palette ----

    @Test
    void twoColourCartoonOfAOneColourPhotoHasPaletteTwo() {
        Mat twoColours = grey(20, 20, (r, c) -> c < 10 ? 40 : 200);
        assertEquals(2, CartoonMetrics.score(grey(20, 20, 128), twoColours).palette(), EPS);
    }

    @Test
    void coloursWithinOneFiveBitLevelCountAsOne() {
        // 128 >> 3 = 130 >> 3 = 16.
        Mat nearlyOne = grey(20, 20, (r, c) -> c < 10 ? 128 : 130);
        assertEquals(1, CartoonMetrics.score(grey(20, 20, 128), nearlyOne).palette(), EPS);
    }

    @Test
    void posterizedGradientHasPaletteBelowOne() {
        // Photo: v = 4c over 64 columns, (4c) >> 3 = c >> 1 gives 32 levels. Cartoon: 4 levels. 4 / 32.
        Mat gradient = grey(16, 64, (r, c) -> 4 * c);
        Mat posterized = grey(16, 64, (r, c) -> (c / 16) * 85);
        assertEquals(4 / 32.0, CartoonMetrics.score(gradient, posterized).palette(), EPS);
    }

    // ---- burn-out ----

    @Test
    void allWhiteCartoonIsBurntOut() {
        assertEquals(1, CartoonMetrics.score(grey(20, 20, 128), grey(20, 20, 255)).burnOut(), EPS);
    }

    @Test
    void burnOutCountsPureBlackToo() {
        Mat halfBlack = grey(20, 20, (r, c) -> c < 5 ? 0 : 128);
        assertEquals(0.25, CartoonMetrics.score(grey(20, 20, 128), halfBlack).burnOut(), EPS);
    }

    @Test
    void burnOutIsNegativeWhenTheCartoonRecoversClippedPixels() {
        Mat halfBlack = grey(20, 20, (r, c) -> c < 10 ? 0 : 128);
        assertEquals(-0.5, CartoonMetrics.score(halfBlack, grey(20, 20, 128)).burnOut(), EPS);
    }

    @Test
    void nearlyWhiteIsNotBurntOut() {
        assertEquals(0, CartoonMetrics.score(grey(20, 20, 128), colour(20, 20, 255, 254, 255)).burnOut(), EPS);
    }

    // ---- contract ----

    @Test
    void rejectsImagesOfDifferentSizes() {
        assertThrows(IllegalArgumentException.class,
                () -> CartoonMetrics.score(grey(20, 20, 128), grey(20, 21, 128)));
    }

    @Test
    void rejectsEmptyAndNonBgrImages() {
        Mat single = track(new Mat(20, 20, CvType.CV_8UC1, new Scalar(3)));
        assertThrows(IllegalArgumentException.class, () -> CartoonMetrics.score(single, single));
        Mat empty = track(new Mat());
        assertThrows(IllegalArgumentException.class, () -> CartoonMetrics.score(empty, empty));
    }

    @Test
    void scoresASubImage() {
        // A column range is not continuous in memory; the palette count must still read the right pixels.
        Mat wide = grey(20, 40, (r, c) -> c < 20 ? 40 : 200);
        Mat left = track(wide.colRange(0, 20));
        Mat right = track(wide.colRange(20, 40));
        CartoonScore s = CartoonMetrics.score(left, right);
        assertArrayEquals(new double[] {160, 160, 160}, s.cast(), EPS);
        assertEquals(1, s.palette(), EPS);
    }

    @Test
    @Tag("slow")
    void scoresTwelveMegapixelsWithinFourCpuSecondsOnOneThread() {
        // Measured as this thread's CPU time with OpenCV on one thread, so a busy machine does not fail it:
        // 1.1 to 2 s on a shared 2-core machine (the Canny and box filters run on more cores when OpenCV has them).
        Mat photo = grey(3000, 4000, (r, c) -> (r * 7 + c * 13) % 256);
        Mat cartoon = grey(3000, 4000, (r, c) -> ((r / 8 + c / 8) % 2) * 200);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int openCvThreads = Core.getNumThreads();
        Core.setNumThreads(0);
        try {
            CartoonMetrics.score(photo, cartoon);
            long start = threads.getCurrentThreadCpuTime();
            CartoonMetrics.score(photo, cartoon);
            long millis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;
            assertTrue(millis < 4000, millis + " ms of CPU");
        } finally {
            Core.setNumThreads(openCvThreads);
        }
    }

    // ---- images ----

    private Mat track(Mat m) {
        mats.add(m);
        return m;
    }

    private Mat grey(int rows, int cols, int v) {
        return grey(rows, cols, (r, c) -> v);
    }

    private Mat colour(int rows, int cols, int b, int g, int r) {
        return track(new Mat(rows, cols, CvType.CV_8UC3, new Scalar(b, g, r)));
    }

    /** A grey image, R = G = B = value(row, column). */
    private Mat grey(int rows, int cols, IntBinaryOperator value) {
        byte[] px = new byte[rows * cols * 3];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                byte v = (byte) value.applyAsInt(r, c);
                int i = 3 * (r * cols + c);
                px[i] = v;
                px[i + 1] = v;
                px[i + 2] = v;
            }
        }
        Mat m = new Mat(rows, cols, CvType.CV_8UC3);
        m.put(0, 0, px);
        return track(m);
    }

    /** One-pixel checkerboard of black and white. */
    private Mat checkerboard(int rows, int cols) {
        return grey(rows, cols, (r, c) -> ((r + c) % 2) * 255);
    }

    /** 20x20: columns 0-9 at 40, 10-19 at 200. */
    private Mat step() {
        return grey(20, 20, (r, c) -> c < 10 ? 40 : 200);
    }

    /**
     * The step with faint vertical stripes (±d, d = 4, +d on even columns) on columns 0-5 and 14-19. Every row
     * is the same and so is every column's vertical neighbour, so the Laplacian is horizontal only:
     * |lap| per column (8-bit units) is 2d at column 0 (its left neighbour replicates itself), 4d at 1-4, 3d at
     * 5, d at 6, 0 at 7-8, 160 at 9 and 10, 0 at 11-12, d at 13, 3d at 14, 4d at 15-18 and 2d at 19: 44d + 320.
     * The stripes blur to within 2 levels of flat, far below Canny's 50, so the only edge is the step.
     */
    private Mat stepWithStripes() {
        return grey(20, 20, (r, c) -> {
            int base = c < 10 ? 40 : 200;
            boolean striped = c <= 5 || c >= 14;
            return striped ? base + (c % 2 == 0 ? 4 : -4) : base;
        });
    }
}
