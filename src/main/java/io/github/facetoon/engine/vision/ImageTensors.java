package io.github.facetoon.engine.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * The one place where pixel layouts and value ranges are converted.
 *
 * <p>Inside the engine an image batch is an NDArray (N,3,H,W), RGB, float32 in [-1,1]. OpenCV images are
 * 8-bit BGR {@link Mat}s (CV_8UC3). Host-side float buffers are CHW RGB in [-1,1].
 */
public final class ImageTensors {

    private ImageTensors() {}

    /**
     * Converts an 8-bit BGR Mat to a CHW RGB float buffer in [-1,1].
     *
     * @param bgr CV_8UC3 image
     * @return 3·H·W floats
     */
    public static float[] bgrToChw(Mat bgr) {
        requireBgr8(bgr);
        int h = bgr.rows();
        int w = bgr.cols();
        byte[] px = new byte[h * w * 3];
        bgr.get(0, 0, px);
        float[] out = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int b = px[3 * i] & 0xff;
            int g = px[3 * i + 1] & 0xff;
            int r = px[3 * i + 2] & 0xff;
            out[i] = r / 127.5f - 1f;
            out[plane + i] = g / 127.5f - 1f;
            out[2 * plane + i] = b / 127.5f - 1f;
        }
        return out;
    }

    /**
     * Converts a window of an 8-bit BGR pixel array (row-major, interleaved, as copied out of a CV_8UC3 Mat) to a
     * CHW RGB float buffer in [-1,1], optionally mirrored left to right. Training crops use this so that no
     * native Mat is needed per sample.
     *
     * @param bgr 3·width·height bytes
     * @param width width of the whole image
     * @param height height of the whole image
     * @param x left column of the window
     * @param y top row of the window
     * @param cropWidth window width
     * @param cropHeight window height
     * @param mirror whether to flip the window horizontally
     * @return 3·cropHeight·cropWidth floats
     */
    public static float[] bgrToChw(byte[] bgr, int width, int height, int x, int y, int cropWidth, int cropHeight,
                                   boolean mirror) {
        if (bgr.length != 3 * width * height) {
            throw new IllegalArgumentException("expected " + 3 * width * height + " bytes, got " + bgr.length);
        }
        if (x < 0 || y < 0 || cropWidth <= 0 || cropHeight <= 0 || x + cropWidth > width || y + cropHeight > height) {
            throw new IllegalArgumentException("window " + cropWidth + "x" + cropHeight + " at (" + x + "," + y
                    + ") is outside the " + width + "x" + height + " image");
        }
        int plane = cropWidth * cropHeight;
        float[] out = new float[3 * plane];
        for (int row = 0; row < cropHeight; row++) {
            int src = 3 * ((y + row) * width + x);
            int dst = row * cropWidth;
            for (int col = 0; col < cropWidth; col++) {
                int s = src + 3 * (mirror ? cropWidth - 1 - col : col);
                int d = dst + col;
                out[d] = (bgr[s + 2] & 0xff) / 127.5f - 1f;
                out[plane + d] = (bgr[s + 1] & 0xff) / 127.5f - 1f;
                out[2 * plane + d] = (bgr[s] & 0xff) / 127.5f - 1f;
            }
        }
        return out;
    }

    /**
     * Converts a CHW RGB float buffer in [-1,1] to an 8-bit BGR Mat (values clipped).
     *
     * @param chw 3·H·W floats
     * @param height H
     * @param width W
     * @return a new CV_8UC3 Mat; the caller releases it
     */
    public static Mat chwToBgr(float[] chw, int height, int width) {
        int plane = height * width;
        if (chw.length != 3 * plane) {
            throw new IllegalArgumentException("expected " + 3 * plane + " floats, got " + chw.length);
        }
        byte[] px = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            px[3 * i] = toByte(chw[2 * plane + i]);
            px[3 * i + 1] = toByte(chw[plane + i]);
            px[3 * i + 2] = toByte(chw[i]);
        }
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    /**
     * Converts a CHW RGB float buffer in [-1,1] to an interleaved RGB float Mat in [0,1], the range OpenCV's
     * floating-point colour conversions (for example RGB to Lab) expect.
     *
     * @param chw 3·H·W floats
     * @param height H
     * @param width W
     * @return a new CV_32FC3 Mat in RGB order; the caller releases it
     */
    public static Mat chwToRgbFloat(float[] chw, int height, int width) {
        int plane = height * width;
        if (chw.length != 3 * plane) {
            throw new IllegalArgumentException("expected " + 3 * plane + " floats, got " + chw.length);
        }
        float[] px = new float[plane * 3];
        for (int i = 0; i < plane; i++) {
            px[3 * i] = (chw[i] + 1f) * 0.5f;
            px[3 * i + 1] = (chw[plane + i] + 1f) * 0.5f;
            px[3 * i + 2] = (chw[2 * plane + i] + 1f) * 0.5f;
        }
        Mat m = new Mat(height, width, CvType.CV_32FC3);
        m.put(0, 0, px);
        return m;
    }

    /**
     * Converts a CHW RGB float buffer in [-1,1] (3 channels) or a single channel (1 plane) to ARGB.
     *
     * @param chw 3·H·W or H·W floats
     * @param height H
     * @param width W
     * @return the image
     */
    public static PixelImage chwToPixels(float[] chw, int height, int width) {
        int plane = height * width;
        int[] argb = new int[plane];
        boolean grey = chw.length == plane;
        if (!grey && chw.length != 3 * plane) {
            throw new IllegalArgumentException("expected " + plane + " or " + 3 * plane + " floats, got " + chw.length);
        }
        for (int i = 0; i < plane; i++) {
            int r = toByte(chw[i]) & 0xff;
            int g = grey ? r : toByte(chw[plane + i]) & 0xff;
            int b = grey ? r : toByte(chw[2 * plane + i]) & 0xff;
            argb[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return new PixelImage(width, height, argb);
    }

    /**
     * Converts an 8-bit BGR Mat to an ARGB image.
     *
     * @param bgr CV_8UC3 image
     * @return the image
     */
    public static PixelImage bgrToPixels(Mat bgr) {
        requireBgr8(bgr);
        int h = bgr.rows();
        int w = bgr.cols();
        byte[] px = new byte[h * w * 3];
        bgr.get(0, 0, px);
        int[] argb = new int[h * w];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | ((px[3 * i + 2] & 0xff) << 16) | ((px[3 * i + 1] & 0xff) << 8) | (px[3 * i] & 0xff);
        }
        return new PixelImage(w, h, argb);
    }

    /**
     * Converts an ARGB image to an 8-bit BGR Mat (alpha dropped).
     *
     * @param image the image
     * @return a new CV_8UC3 Mat; the caller releases it
     */
    public static Mat pixelsToBgr(PixelImage image) {
        int[] argb = image.argb();
        byte[] px = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            px[3 * i] = (byte) argb[i];
            px[3 * i + 1] = (byte) (argb[i] >> 8);
            px[3 * i + 2] = (byte) (argb[i] >> 16);
        }
        Mat m = new Mat(image.height(), image.width(), CvType.CV_8UC3);
        m.put(0, 0, px);
        return m;
    }

    /**
     * Stacks equally sized CHW buffers into an (N,3,H,W) array.
     *
     * @param manager where the array lives
     * @param images N buffers of 3·H·W floats
     * @param height H
     * @param width W
     * @return the batch
     */
    public static NDArray toBatch(NDManager manager, float[][] images, int height, int width) {
        int per = 3 * height * width;
        float[] all = new float[images.length * per];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, all, i * per, per);
        }
        return manager.create(all, new Shape(images.length, 3, height, width));
    }

    /**
     * Copies image {@code index} of an (N,C,H,W) batch to the host as a CHW float buffer.
     *
     * @param batch the batch
     * @param index which image
     * @return C·H·W floats
     */
    public static float[] toHost(NDArray batch, int index) {
        try (NDArray one = batch.get(index)) {
            return one.toFloatArray();
        }
    }

    private static void requireBgr8(Mat m) {
        if (m.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit BGR image (CV_8UC3), got type " + m.type());
        }
    }

    private static byte toByte(float v) {
        float s = (v + 1f) * 127.5f;
        int i = Math.round(s);
        return (byte) (i < 0 ? 0 : Math.min(255, i));
    }
}
