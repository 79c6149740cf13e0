package io.github.facetoon.engine.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** The byte-window conversion agrees with the Mat conversion, mirrors correctly and refuses windows outside. */
class ImageTensorsWindowTest {

    /** A 3×2 BGR image whose pixel i (row-major) is (b, g, r) = (i, 10 + i, 20 + i). */
    private static byte[] pixels() {
        byte[] bgr = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            bgr[3 * i] = (byte) i;
            bgr[3 * i + 1] = (byte) (10 + i);
            bgr[3 * i + 2] = (byte) (20 + i);
        }
        return bgr;
    }

    @Test
    void wholeWindowEqualsTheMatConversion() {
        OpenCvRuntime.ensureLoaded();
        byte[] bgr = pixels();
        Mat m = new Mat(2, 3, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        assertArrayEquals(ImageTensors.bgrToChw(m), ImageTensors.bgrToChw(bgr, 3, 2, 0, 0, 3, 2, false));
        m.release();
    }

    @Test
    void mirroredWindowReversesEachRow() {
        // Window: columns 1..2 of both rows, i.e. pixels [1 2] [4 5]; mirrored: [2 1] [5 4].
        float[] chw = ImageTensors.bgrToChw(pixels(), 3, 2, 1, 0, 2, 2, true);
        float[] red = new float[4];
        System.arraycopy(chw, 0, red, 0, 4);
        float[] expected = new float[4];
        int[] order = {2, 1, 5, 4};
        for (int i = 0; i < 4; i++) {
            expected[i] = (20 + order[i]) / 127.5f - 1f;
        }
        assertArrayEquals(expected, red);
    }

    @Test
    void windowOutsideTheImageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.bgrToChw(pixels(), 3, 2, 2, 0, 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.bgrToChw(new byte[5], 3, 2, 0, 0, 1, 1, false));
    }
}
