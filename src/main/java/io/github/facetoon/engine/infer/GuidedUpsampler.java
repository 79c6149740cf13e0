package io.github.facetoon.engine.infer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Brings a cartoon made at the working resolution back to the photo's own size without blurring it up: the guided
 * filter's linear model {@code q = A·I + B} is fitted at the working resolution (photo as the guide, the
 * generator's output as the input), A and B are resampled bilinearly to the output size and applied to the
 * full-resolution photo. This is the fast guided filter of He &amp; Sun (arXiv 1505.00996) and the guided
 * upsampling of Wu et al., "Fast End-to-End Trainable Guided Filter" (CVPR 2018); White-box Cartoonization ships
 * the same function. Edges come from the full-resolution photo, flat areas and colours from the cartoon.
 *
 * <p>Memory stays bounded: A and B are resampled and applied a band of rows at a time, so besides the photo and
 * the result (8-bit) only a few float bands of {@value #BAND_ROWS} rows are alive.
 */
public final class GuidedUpsampler {

    /** Rows per band of the full-resolution pass. */
    static final int BAND_ROWS = 256;

    /** The inference guided filter (White-box {@code cartoonize.py}: r 1, ε 5e-3 on [-1,1] data). */
    private static final GuidedFilter FILTER = new GuidedFilter(1, Cartoonizer.INFERENCE_FILTER_EPS);

    private GuidedUpsampler() {}

    /**
     * Fits the inference guided filter at the working resolution: the photo guides the cartoon.
     *
     * @param manager where to compute (a sub-manager is used and closed)
     * @param photo the working photo, CHW RGB in [-1,1]
     * @param cartoon the working cartoon before filtering, CHW RGB in [-1,1]
     * @param h working height
     * @param w working width
     * @return {A, B}, CHW RGB
     */
    public static float[][] fit(NDManager manager, float[] photo, float[] cartoon, int h, int w) {
        try (NoGrad ng = NoGrad.enter(); NDManager sm = manager.newSubManager()) {
            NDList ab = FILTER.coefficients(sm.create(photo, new Shape(1, 3, h, w)), sm.create(cartoon, new Shape(1, 3, h, w)));
            return new float[][] {ab.get(0).toFloatArray(), ab.get(1).toFloatArray()};
        }
    }

    /**
     * Blends a linear model with the identity (A = 1, B = 0: the photo itself): strength s gives
     * A' = 1 + s·(A − 1), B' = s·B, so the result is photo + s·(cartoon − photo) exactly, at every resolution.
     *
     * @param ab {A, B}, changed in place
     * @param strength s, 0 (the photo) and up
     * @return {@code ab}
     */
    public static float[][] blendWithPhoto(float[][] ab, double strength) {
        float s = (float) strength;
        float[] a = ab[0];
        float[] b = ab[1];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1f + s * (a[i] - 1f);
            b[i] = s * b[i];
        }
        return ab;
    }

    /**
     * Applies the coefficients to the photo.
     *
     * @param a A as CHW RGB floats at the working size (h·w per channel)
     * @param b B as CHW RGB floats, in the network's [-1,1] units
     * @param h working height
     * @param w working width
     * @param photo the 8-bit BGR photo at the output size
     * @return the cartoon, 8-bit BGR, the photo's size; the caller releases it
     */
    public static Mat apply(float[] a, float[] b, int h, int w, Mat photo) {
        OpenCvRuntime.ensureLoaded();
        if (a.length != 3 * h * w || b.length != a.length) {
            throw new IllegalArgumentException("expected 3·" + h + "·" + w + " coefficients");
        }
        int outH = photo.rows();
        int outW = photo.cols();
        Mat lowA = chwToBgrFloat(a, h, w);
        Mat lowB = chwToBgrFloat(b, h, w);
        Mat out = new Mat(outH, outW, CvType.CV_8UC3);
        try {
            if (outH <= h || outW <= w) {
                // The working image is as large as the output (or larger): resample once, area-averaged when shrinking.
                int interp = outH < h || outW < w ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
                Mat fullA = new Mat();
                Mat fullB = new Mat();
                try {
                    Imgproc.resize(lowA, fullA, new Size(outW, outH), 0, 0, interp);
                    Imgproc.resize(lowB, fullB, new Size(outW, outH), 0, 0, interp);
                    applyBand(fullA, fullB, photo, out);
                } finally {
                    fullA.release();
                    fullB.release();
                }
                return out;
            }
            double sx = (double) w / outW;
            double sy = (double) h / outH;
            for (int y0 = 0; y0 < outH; y0 += BAND_ROWS) {
                int rows = Math.min(BAND_ROWS, outH - y0);
                // Inverse map of a band: destination (x, y) samples source ((x+.5)·sx − .5, (y0+y+.5)·sy − .5),
                // the pixel-centre alignment of Imgproc.resize.
                Mat map = new Mat(2, 3, CvType.CV_64F);
                map.put(0, 0, sx, 0, 0.5 * sx - 0.5, 0, sy, (y0 + 0.5) * sy - 0.5);
                Mat bandA = new Mat();
                Mat bandB = new Mat();
                Mat bandPhoto = photo.rowRange(y0, y0 + rows);
                Mat bandOut = out.rowRange(y0, y0 + rows);
                try {
                    Size size = new Size(outW, rows);
                    int flags = Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP;
                    Imgproc.warpAffine(lowA, bandA, map, size, flags, Core.BORDER_REPLICATE);
                    Imgproc.warpAffine(lowB, bandB, map, size, flags, Core.BORDER_REPLICATE);
                    applyBand(bandA, bandB, bandPhoto, bandOut);
                } finally {
                    map.release();
                    bandA.release();
                    bandB.release();
                    bandPhoto.release();
                    bandOut.release();
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            lowA.release();
            lowB.release();
        }
    }

    /** out = A·I + B with I the photo in [-1,1], written back as 8-bit (rounded, clipped). */
    private static void applyBand(Mat a, Mat b, Mat photo, Mat out) {
        Mat q = new Mat();
        try {
            photo.convertTo(q, CvType.CV_32FC3, 1 / 127.5, -1);
            Core.multiply(q, a, q);
            Core.add(q, b, q);
            q.convertTo(out, CvType.CV_8UC3, 127.5, 127.5);
        } finally {
            q.release();
        }
    }

    private static Mat chwToBgrFloat(float[] chw, int h, int w) {
        int plane = h * w;
        float[] hwc = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            hwc[3 * i] = chw[2 * plane + i];
            hwc[3 * i + 1] = chw[plane + i];
            hwc[3 * i + 2] = chw[i];
        }
        Mat m = new Mat(h, w, CvType.CV_32FC3);
        m.put(0, 0, hwc);
        return m;
    }
}
