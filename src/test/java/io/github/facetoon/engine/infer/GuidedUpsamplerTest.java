package io.github.facetoon.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Guided upsampling: the working resolution's filter model applied to the full-resolution photo. */
class GuidedUpsamplerTest {

    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Mean absolute difference of two 8-bit images, 0..1. */
    static double mad(Mat a, Mat b) {
        Mat d = new Mat();
        Core.absdiff(a, b, d);
        Scalar m = Core.mean(d);
        d.release();
        return (m.val[0] + m.val[1] + m.val[2]) / 3 / 255;
    }

    @Test
    void atTheWorkingSizeItIsTheInferenceFilter() {
        Mat photo = SyntheticPhotos.photo(64, new Random(1));
        Mat toon = new Mat();
        Imgproc.GaussianBlur(photo, toon, new Size(7, 7), 2);
        float[] p = ImageTensors.bgrToChw(photo);
        float[][] ab = GuidedUpsampler.fit(manager, p, ImageTensors.bgrToChw(toon), 64, 64);
        Mat out = GuidedUpsampler.apply(ab[0], ab[1], 64, 64, photo);
        // The same filter computed directly, as the network's inference path does.
        float[] a = ab[0];
        float[] q = new float[p.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = a[i] * p[i] + ab[1][i];
        }
        Mat direct = ImageTensors.chwToBgr(q, 64, 64);
        assertTrue(mad(out, direct) < 0.5 / 255, "differs from A·I+B by " + mad(out, direct));
        assertEquals(64, out.rows());
    }

    @Test
    void constantCoefficientsGiveTheLinearMapOfTheFullPhotoAtEverySize() {
        int h = 10;
        int w = 14;
        float[] a = new float[3 * h * w];
        float[] b = new float[3 * h * w];
        java.util.Arrays.fill(a, 0.5f);
        java.util.Arrays.fill(b, 0.1f);
        Mat photo = SyntheticPhotos.photo(600, new Random(2)); // taller than one band of rows
        Mat out = GuidedUpsampler.apply(a, b, h, w, photo);
        Mat expected = new Mat();
        // q = 0.5·(x/127.5 − 1) + 0.1 → 8-bit: (q + 1)·127.5 = 0.5·x + 0.6·127.5
        photo.convertTo(expected, CvType.CV_8UC3, 0.5, 0.6 * 127.5);
        assertEquals(600, out.rows());
        assertEquals(600, out.cols());
        assertTrue(mad(out, expected) < 0.6 / 255, "mad " + mad(out, expected));
    }

    @Test
    void bandsJoinWithoutSeams() {
        // Coefficients that vary smoothly: the banded result equals resizing A and B whole.
        int h = 20;
        int w = 30;
        float[] a = new float[3 * h * w];
        float[] b = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    a[c * h * w + y * w + x] = 0.2f + 0.03f * y + 0.01f * x;
                    b[c * h * w + y * w + x] = -0.3f + 0.02f * x;
                }
            }
        }
        Mat photo = SyntheticPhotos.photo(700, new Random(3));
        Mat banded = GuidedUpsampler.apply(a, b, h, w, photo);
        // Reference: the same coefficients resized in one go (the path used when the working image is as large).
        float[] bigA = resize(a, h, w, 700, 700);
        float[] bigB = resize(b, h, w, 700, 700);
        Mat reference = GuidedUpsampler.apply(bigA, bigB, 700, 700, photo);
        assertTrue(mad(banded, reference) < 0.6 / 255, "mad " + mad(banded, reference));
    }

    private static float[] resize(float[] chw, int h, int w, int oh, int ow) {
        float[] out = new float[3 * oh * ow];
        for (int c = 0; c < 3; c++) {
            Mat m = new Mat(h, w, CvType.CV_32F);
            float[] plane = java.util.Arrays.copyOfRange(chw, c * h * w, (c + 1) * h * w);
            m.put(0, 0, plane);
            Mat r = new Mat();
            Imgproc.resize(m, r, new Size(ow, oh), 0, 0, Imgproc.INTER_LINEAR);
            float[] big = new float[oh * ow];
            r.get(0, 0, big);
            System.arraycopy(big, 0, out, c * oh * ow, big.length);
        }
        return out;
    }
}
