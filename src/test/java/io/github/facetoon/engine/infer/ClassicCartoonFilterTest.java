package io.github.facetoon.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** The classic (no-network) cartoon filter: sizes, types and flattening. */
class ClassicCartoonFilterTest {

    private final ClassicCartoonFilter filter = new ClassicCartoonFilter();

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "1, 7", "5, 3", "17, 31", "64, 48", "33, 129"})
    void keepsSizeAndType(int height, int width) {
        Mat in = noisyTwoTone(height, width, 1);
        Mat out = filter.apply(in);
        assertEquals(height, out.rows());
        assertEquals(width, out.cols());
        assertEquals(CvType.CV_8UC3, out.type());
        in.release();
        out.release();
    }

    @Test
    void hasFewerColoursThanANoisyInput() {
        Mat in = noisyTwoTone(64, 64, 2);
        Mat out = filter.apply(in);
        int before = distinctColours(in);
        int after = distinctColours(out);
        assertTrue(after < before / 4, "distinct colours " + before + " -> " + after);
        in.release();
        out.release();
    }

    @Test
    void isDeterministic() {
        Mat in = noisyTwoTone(40, 40, 3);
        Mat a = filter.apply(in);
        Mat b = filter.apply(in);
        byte[] pa = new byte[40 * 40 * 3];
        byte[] pb = new byte[40 * 40 * 3];
        a.get(0, 0, pa);
        b.get(0, 0, pb);
        assertTrue(java.util.Arrays.equals(pa, pb));
    }

    @Test
    void worksOnPreviewImages() {
        PixelImage image = new PixelImage(3, 2, new int[] {0xff102030, 0xff405060, 0xff708090, 0xffa0b0c0,
            0xffd0e0f0, 0xff000000});
        PixelImage out = filter.apply(image);
        assertEquals(3, out.width());
        assertEquals(2, out.height());
    }

    @Test
    void theInkedLookSparesRegionsThatAreAlreadyDark() {
        // A very dark square (grey 12) on grey 82, and the same shape brighter (grey 112 on 182): the inked look draws
        // its outline inside the bright square's edge but adds no ink inside the dark one's.
        // The inked look's outlines without its contrast stretch (which would take the dark square to black by itself).
        CartoonFilterSettings look = CartoonFilterSettings.inked();
        CartoonFilterSettings inked = new CartoonFilterSettings(look.workSize(), look.colours(),
                look.smoothingPasses(), look.lineStrength(), look.lineSigma(), look.inkFrom(), look.inkRamp(),
                look.linesOnColour(), 1.0, true);
        CartoonFilterSettings inkEverywhere = new CartoonFilterSettings(look.workSize(), look.colours(),
                look.smoothingPasses(), look.lineStrength(), look.lineSigma(), look.inkFrom(), look.inkRamp(),
                look.linesOnColour(), 1.0, false);
        for (int base : new int[] {12, 112}) {
            Mat in = new Mat(64, 64, CvType.CV_8UC3, new Scalar(base + 70, base + 70, base + 70));
            in.submat(16, 48, 16, 48).setTo(new Scalar(base, base, base));
            Mat spared = new ClassicCartoonFilter(inked).apply(in, 0.4);
            Mat inkedAll = new ClassicCartoonFilter(inkEverywhere).apply(in, 0.4);
            double sparedMin = Core.minMaxLoc(grey(spared)).minVal;
            double allMin = Core.minMaxLoc(grey(inkedAll)).minVal;
            if (base == 12) {
                assertTrue(sparedMin > allMin + 4, "no ink in the dark: " + sparedMin + " vs " + allMin);
            } else {
                assertEquals(allMin, sparedMin, 1.0, "bright regions are inked as before");
                assertTrue(sparedMin < base * 0.6, "an outline around the bright square: " + sparedMin);
            }
            in.release();
            spared.release();
            inkedAll.release();
        }
    }

    private static Mat grey(Mat bgr) {
        Mat g = new Mat();
        Imgproc.cvtColor(bgr, g, Imgproc.COLOR_BGR2GRAY);
        return g;
    }

    @Test
    void rejectsEmptyAndNonBgrImages() {
        assertThrows(IllegalArgumentException.class, () -> filter.apply(new Mat()));
        Mat grey = new Mat(4, 4, CvType.CV_8UC1, new Scalar(3));
        assertThrows(IllegalArgumentException.class, () -> filter.apply(grey));
    }

    /** A left and a right half of different colours with photo-like Gaussian noise (σ = 12 grey levels). */
    private static Mat noisyTwoTone(int height, int width, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] base = x < width / 2 ? new int[] {60, 120, 200} : new int[] {190, 150, 70};
                for (int c = 0; c < 3; c++) {
                    int v = (int) Math.round(base[c] + 12 * rng.nextGaussian());
                    px[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    private static int distinctColours(Mat bgr) {
        byte[] px = new byte[bgr.rows() * bgr.cols() * 3];
        bgr.get(0, 0, px);
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < px.length; i += 3) {
            colours.add(((px[i] & 0xff) << 16) | ((px[i + 1] & 0xff) << 8) | (px[i + 2] & 0xff));
        }
        return colours.size();
    }
}
