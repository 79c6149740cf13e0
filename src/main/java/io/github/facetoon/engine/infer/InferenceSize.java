package io.github.facetoon.engine.infer;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Prepares a photo for the generator, as White-box's {@code cartoonize.py} does: the short side is limited
 * (area-averaged downscale), then both sides are cropped (centred) to a multiple of 8.
 */
public final class InferenceSize {

    private InferenceSize() {}

    /**
     * Returns a resized and cropped copy.
     *
     * @param bgr the photo, 8-bit BGR
     * @param maxShortSide the limit for the short side, at least 8
     * @return a new Mat whose sides are multiples of 8; the caller releases it
     * @throws IllegalArgumentException when the photo is smaller than 8 pixels on a side after resizing
     */
    public static Mat prepare(Mat bgr, int maxShortSide) {
        OpenCvRuntime.ensureLoaded();
        if (maxShortSide < 8) {
            throw new IllegalArgumentException("the short-side limit must be at least 8 pixels, got " + maxShortSide);
        }
        int h = bgr.rows();
        int w = bgr.cols();
        Mat resized = bgr;
        int shortSide = Math.min(h, w);
        if (shortSide > maxShortSide) {
            double s = (double) maxShortSide / shortSide;
            int nh = Math.max(1, (int) Math.round(h * s));
            int nw = Math.max(1, (int) Math.round(w * s));
            resized = new Mat();
            Imgproc.resize(bgr, resized, new Size(nw, nh), 0, 0, Imgproc.INTER_AREA);
            h = nh;
            w = nw;
        }
        int ch = h / 8 * 8;
        int cw = w / 8 * 8;
        if (ch < 8 || cw < 8) {
            if (resized != bgr) {
                resized.release();
            }
            throw new IllegalArgumentException("the image is " + w + "x" + h + " pixels; at least 8x8 is needed");
        }
        Mat out = new Mat(resized, new Rect((w - cw) / 2, (h - ch) / 2, cw, ch)).clone();
        if (resized != bgr) {
            resized.release();
        }
        return out;
    }

    /**
     * Returns the centred square of a photo, resized to {@code size}×{@code size} (for test metrics).
     *
     * @param bgr the photo, 8-bit BGR
     * @param size the side in pixels, a multiple of 8
     * @return a new Mat; the caller releases it
     */
    public static Mat centreSquare(Mat bgr, int size) {
        OpenCvRuntime.ensureLoaded();
        int side = Math.min(bgr.rows(), bgr.cols());
        Mat crop = new Mat(bgr, new Rect((bgr.cols() - side) / 2, (bgr.rows() - side) / 2, side, side));
        Mat out = new Mat();
        Imgproc.resize(crop, out, new Size(size, size), 0, 0, side > size ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        return out;
    }
}
