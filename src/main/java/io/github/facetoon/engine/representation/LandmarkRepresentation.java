package io.github.facetoon.engine.representation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.perception.LandmarkNetwork;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * The landmark map: the 68 face points drawn over an image (contours of jaw, brows, nose, eyes and mouth, one colour
 * per part), optionally with Gaussian heatmaps, for the studio's preview pane; and Gaussian heatmaps as tensors.
 *
 * <pre>
 *   heat(u, v) = max_k exp(−((u − x_k)² + (v − y_k)²) / (2σ²))      (pixel centres u, v; points x_k, y_k in pixels)
 * </pre>
 */
public final class LandmarkRepresentation {

    /**
     * The iBUG 300-W parts: first index, last index (inclusive), closed contour, colour (RGB).
     */
    private static final int[][] PARTS = {
        {0, 16, 0, 0xF2C94C},   // jaw
        {17, 21, 0, 0x56CCF2},  // right brow
        {22, 26, 0, 0x56CCF2},  // left brow
        {27, 30, 0, 0xBB6BD9},  // nose bridge
        {31, 35, 0, 0xBB6BD9},  // nostrils
        {36, 41, 1, 0x6FCF97},  // right eye
        {42, 47, 1, 0x6FCF97},  // left eye
        {48, 59, 1, 0xEB5757},  // outer lip
        {60, 67, 1, 0xEB5757},  // inner lip
    };

    /** Fractional bits of drawing coordinates, for sub-pixel placement. */
    private static final int SHIFT = 4;

    private LandmarkRepresentation() {}

    /**
     * Draws points over an image.
     *
     * @param image the image (not modified)
     * @param points 136 values, (x,y) interleaved, in image pixels
     * @param withHeatmap also blend a Gaussian heatmap (σ ≈ 1.5% of the face width) under the points
     * @return a new image
     */
    public static PixelImage draw(PixelImage image, double[] points, boolean withHeatmap) {
        requirePoints(points.length);
        OpenCvRuntime.ensureLoaded();
        PixelImage base = withHeatmap ? overlayHeat(image, points) : image;
        Mat bgr = ImageTensors.pixelsToBgr(base);
        try {
            int scale = Math.max(image.width(), image.height());
            int thickness = Math.max(1, (int) Math.round(scale / 400.0));
            int radius = Math.max(1, (int) Math.round(scale / 350.0));
            for (int[] part : PARTS) {
                Scalar colour = bgr(part[3]);
                for (int i = part[0]; i < part[1]; i++) {
                    Imgproc.line(bgr, point(points, i), point(points, i + 1), colour, thickness, Imgproc.LINE_AA, SHIFT);
                }
                if (part[2] == 1) {
                    Imgproc.line(bgr, point(points, part[1]), point(points, part[0]), colour, thickness,
                            Imgproc.LINE_AA, SHIFT);
                }
            }
            for (int[] part : PARTS) {
                for (int i = part[0]; i <= part[1]; i++) {
                    Point p = point(points, i);
                    Imgproc.circle(bgr, p, (radius + 1) << SHIFT, new Scalar(0, 0, 0), -1, Imgproc.LINE_AA, SHIFT);
                    Imgproc.circle(bgr, p, radius << SHIFT, bgr(part[3]), -1, Imgproc.LINE_AA, SHIFT);
                }
            }
            return ImageTensors.bgrToPixels(bgr);
        } finally {
            bgr.release();
        }
    }

    /**
     * Draws a batch: each image with its points.
     *
     * @param images (N,3,H,W) RGB in [-1,1]
     * @param points (N,68,2) in [0,1] image coordinates (the landmark net's output on these images)
     * @param withHeatmap also blend Gaussian heatmaps
     * @return N new images
     */
    public static List<PixelImage> draw(NDArray images, NDArray points, boolean withHeatmap) {
        Shape s = images.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (points.getShape().get(0) != n) {
            throw new IllegalArgumentException("expected " + n + " point sets, got " + points.getShape());
        }
        float[] all = points.toFloatArray();
        List<PixelImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] px = new double[2 * LandmarkNetwork.POINTS];
            for (int k = 0; k < px.length; k += 2) {
                px[k] = all[i * px.length + k] * w;
                px[k + 1] = all[i * px.length + k + 1] * h;
            }
            out.add(draw(ImageTensors.chwToPixels(ImageTensors.toHost(images, i), h, w), px, withHeatmap));
        }
        return out;
    }

    /**
     * Gaussian heatmaps of a batch of points, differentiable with respect to the points.
     *
     * @param points (N,K,2) in [0,1] image coordinates
     * @param height H
     * @param width W
     * @param sigma standard deviation in pixels
     * @return (N,1,H,W) in [0,1]: at each pixel, the largest of the K Gaussians
     */
    public static NDArray heatmaps(NDArray points, int height, int width, double sigma) {
        NDManager m = points.getManager();
        long n = points.getShape().get(0);
        long k = points.getShape().get(1);
        // pixel centres in pixels: (1,1,1,W) and (1,1,H,1)
        NDArray u = m.arange(0f, width, 1f).add(0.5f).reshape(1, 1, 1, width).toDevice(points.getDevice(), false);
        NDArray v = m.arange(0f, height, 1f).add(0.5f).reshape(1, 1, height, 1).toDevice(points.getDevice(), false);
        // (N,K,2) -> (N,K,1,1) each, in pixels
        NDArray x = points.get(":, :, 0").mul(width).reshape(n, k, 1, 1);
        NDArray y = points.get(":, :, 1").mul(height).reshape(n, k, 1, 1);
        // (N,K,H,W) -> (N,1,H,W)
        NDArray d2 = u.sub(x).square().add(v.sub(y).square());
        return d2.div(-2 * sigma * sigma).exp().max(new int[] {1}, true);
    }

    private static PixelImage overlayHeat(PixelImage image, double[] points) {
        int w = image.width();
        int h = image.height();
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        for (int i = 0; i < points.length; i += 2) {
            minX = Math.min(minX, points[i]);
            maxX = Math.max(maxX, points[i]);
        }
        double sigma = Math.max(1.0, 0.015 * (maxX - minX) * 2);
        float[] heat = new float[w * h];
        int reach = (int) Math.ceil(3 * sigma);
        for (int i = 0; i < points.length; i += 2) {
            int cx = (int) Math.floor(points[i]);
            int cy = (int) Math.floor(points[i + 1]);
            for (int yy = Math.max(0, cy - reach); yy <= Math.min(h - 1, cy + reach); yy++) {
                for (int xx = Math.max(0, cx - reach); xx <= Math.min(w - 1, cx + reach); xx++) {
                    double dx = xx + 0.5 - points[i];
                    double dy = yy + 0.5 - points[i + 1];
                    float g = (float) Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                    heat[yy * w + xx] = Math.max(heat[yy * w + xx], g);
                }
            }
        }
        int[] argb = image.argb();
        int[] out = new int[argb.length];
        for (int i = 0; i < out.length; i++) {
            float a = 0.8f * heat[i];
            int r = blend((argb[i] >> 16) & 0xff, 255, a);
            int g = blend((argb[i] >> 8) & 0xff, 64, a);
            int b = blend(argb[i] & 0xff, 32, a);
            out[i] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
        return new PixelImage(w, h, out);
    }

    private static int blend(int from, int to, float a) {
        return Math.round(from + (to - from) * a);
    }

    /** OpenCV puts pixel centres at integers, we at half-integers; coordinates go in with 4 fractional bits. */
    private static Point point(double[] points, int i) {
        double one = 1 << SHIFT;
        return new Point(Math.round((points[2 * i] - 0.5) * one), Math.round((points[2 * i + 1] - 0.5) * one));
    }

    private static Scalar bgr(int rgb) {
        return new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff);
    }

    private static void requirePoints(int length) {
        if (length != 2 * LandmarkNetwork.POINTS) {
            throw new IllegalArgumentException("expected " + 2 * LandmarkNetwork.POINTS + " coordinates, got " + length);
        }
    }
}
