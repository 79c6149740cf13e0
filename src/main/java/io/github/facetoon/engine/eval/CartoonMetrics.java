package io.github.facetoon.engine.eval;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Measures how much of a cartoon a cartoon is: the figures of {@link CartoonScore}, from a photo and its
 * cartoon as two same-size 8-bit BGR {@link Mat}s. Pure and thread-safe; every native temporary is released.
 *
 * <p>The exact rules (also in {@code docs/evaluation.md}):
 * <ul>
 *   <li>Pixel values are scaled to 0..1; luminance Y = 0.299R + 0.587G + 0.114B, computed in double and kept as
 *       float.</li>
 *   <li>Every filter uses border replicate: the pixel outside the image is its nearest pixel inside.</li>
 *   <li>Flat: the 5×5 box mean μ of Y and μ₂ of Y²; a pixel is flat when μ₂ − μ² &lt; 0.02² (local standard
 *       deviation below 0.02).</li>
 *   <li>Texture: the 3×3 Laplacian of Y (OpenCV {@code ksize} 1: kernel 0 1 0 / 1 −4 1 / 0 1 0), mean of its
 *       absolute value, cartoon divided by photo; NaN when the photo's mean is below {@value #TEXTURE_FLOOR}.</li>
 *   <li>The photo's edges: Y rounded to 8 bits, blurred by the 3×3 Gaussian (kernel ¼ ½ ¼ each way), Canny with
 *       thresholds 50 and 150 (3×3 Sobel, L1 gradient), then dilated by a 3×3 square. On-edge texture compares
 *       only those pixels, off-edge texture the rest; each is NaN when its pixel set is empty or the photo's mean
 *       there is below {@value #TEXTURE_FLOOR}.</li>
 *   <li>Ink: a pixel whose Y is at least 0.15 below the 9×9 box mean of Y.</li>
 *   <li>Palette: R, G, B each cut to its top 5 bits (32 levels), distinct colours counted, cartoon over photo.</li>
 *   <li>Burn-out: pixels with all three channels 255 or all three 0, as a share, cartoon minus photo.</li>
 * </ul>
 */
public final class CartoonMetrics {

    /** Local standard deviation of Y below which a pixel is flat. */
    public static final double FLAT_STD = 0.02;
    /** Side of the window of the flat test. */
    public static final int FLAT_WINDOW = 5;
    /** How much darker than its surroundings an ink pixel is, in Y. */
    public static final double INK_DEPTH = 0.15;
    /** Side of the window whose mean an ink pixel is compared with. */
    public static final int INK_WINDOW = 9;
    /** Canny's lower hysteresis threshold, on the 8-bit luminance. */
    public static final double CANNY_LOW = 50;
    /** Canny's upper hysteresis threshold, on the 8-bit luminance. */
    public static final double CANNY_HIGH = 150;
    /** Mean |Laplacian| of the photo below which a texture ratio is NaN. */
    public static final double TEXTURE_FLOOR = 1e-6;

    private static final int STRIP_PIXELS = 1 << 20;

    private CartoonMetrics() {}

    /**
     * Scores a cartoon against its photo.
     *
     * @param photo the photo, CV_8UC3 BGR
     * @param cartoon the cartoon, CV_8UC3 BGR, the photo's size
     * @return the figures
     * @throws IllegalArgumentException when an image is empty, not 8-bit BGR, or the sizes differ
     */
    public static CartoonScore score(Mat photo, Mat cartoon) {
        requireBgr8(photo, "photo");
        requireBgr8(cartoon, "cartoon");
        if (photo.rows() != cartoon.rows() || photo.cols() != cartoon.cols()) {
            throw new IllegalArgumentException("photo is " + photo.cols() + "x" + photo.rows() + " but cartoon is "
                    + cartoon.cols() + "x" + cartoon.rows());
        }
        List<Mat> temps = new ArrayList<>();
        try {
            Mat yPhoto = keep(temps, new Mat(photo.rows(), photo.cols(), CvType.CV_32FC1));
            Mat yCartoon = keep(temps, new Mat(photo.rows(), photo.cols(), CvType.CV_32FC1));
            PixelPass pass = pixelPass(continuous(photo, temps), continuous(cartoon, temps), yPhoto, yCartoon);
            double flatPhoto = flatShare(yPhoto);
            double flatCartoon = flatShare(yCartoon);
            double inkPhoto = inkShare(yPhoto);
            double inkCartoon = inkShare(yCartoon);

            Mat lapPhoto = keep(temps, absLaplacian(yPhoto));
            Mat lapCartoon = keep(temps, absLaplacian(yCartoon));
            Mat edges = keep(temps, photoEdges(yPhoto));
            Mat offEdges = keep(temps, new Mat());
            Core.bitwise_not(edges, offEdges);
            double texture = ratio(Core.mean(lapCartoon).val[0], Core.mean(lapPhoto).val[0]);
            double onEdges = maskedRatio(lapCartoon, lapPhoto, edges);
            double offEdgesRatio = maskedRatio(lapCartoon, lapPhoto, offEdges);

            double pixels = (double) photo.rows() * photo.cols();
            double[] cast = new double[3];
            double mad = 0;
            double madWithoutCast = 0;
            for (int ch = 0; ch < 3; ch++) {
                long[] h = pass.differences[ch];
                long sum = 0;
                long sumAbs = 0;
                for (int k = -255; k <= 255; k++) {
                    sum += k * h[k + 255];
                    sumAbs += Math.abs(k) * h[k + 255];
                }
                double shift = sum / pixels;
                double rest = 0;
                for (int k = -255; k <= 255; k++) {
                    if (h[k + 255] != 0) {
                        rest += Math.abs(k - shift) * h[k + 255];
                    }
                }
                cast[2 - ch] = shift;
                mad += sumAbs / pixels;
                madWithoutCast += rest / pixels;
            }
            return new CartoonScore(mad / 3 / 255, cast, madWithoutCast / 3 / 255, flatPhoto, flatCartoon, texture,
                    onEdges, offEdgesRatio, inkPhoto, inkCartoon, (double) pass.distinctCartoon / pass.distinctPhoto,
                    (pass.burntCartoon - pass.burntPhoto) / pixels);
        } finally {
            temps.forEach(Mat::release);
        }
    }

    /** What one pass over the pixels of both images collects. */
    private static final class PixelPass {
        /** Per BGR channel, how many pixels have cartoon − photo = k, at index k + 255. */
        final long[][] differences = new long[3][511];
        int distinctPhoto;
        int distinctCartoon;
        long burntPhoto;
        long burntCartoon;
    }

    /**
     * One pass, in strips of rows, over two continuous same-size images: the difference histograms, the 5-bit
     * palettes, the burnt-out pixels, and the luminance of each written into its float Mat.
     */
    private static PixelPass pixelPass(Mat photo, Mat cartoon, Mat yPhoto, Mat yCartoon) {
        PixelPass out = new PixelPass();
        boolean[] seenPhoto = new boolean[1 << 15];
        boolean[] seenCartoon = new boolean[1 << 15];
        int cols = photo.cols();
        int rowsPerStrip = Math.max(1, STRIP_PIXELS / cols);
        int stripPixels = Math.min(photo.rows(), rowsPerStrip) * cols;
        byte[] p = new byte[3 * stripPixels];
        byte[] c = new byte[3 * stripPixels];
        float[] yp = new float[stripPixels];
        float[] yc = new float[stripPixels];
        long[] d0 = out.differences[0];
        long[] d1 = out.differences[1];
        long[] d2 = out.differences[2];
        for (int row = 0; row < photo.rows(); row += rowsPerStrip) {
            int rows = Math.min(rowsPerStrip, photo.rows() - row);
            int n = rows * cols;
            if (n != yp.length) {
                p = new byte[3 * n];
                c = new byte[3 * n];
                yp = new float[n];
                yc = new float[n];
            }
            photo.get(row, 0, p);
            cartoon.get(row, 0, c);
            for (int i = 0, j = 0; i < n; i++, j += 3) {
                int pb = p[j] & 0xff;
                int pg = p[j + 1] & 0xff;
                int pr = p[j + 2] & 0xff;
                int cb = c[j] & 0xff;
                int cg = c[j + 1] & 0xff;
                int cr = c[j + 2] & 0xff;
                d0[cb - pb + 255]++;
                d1[cg - pg + 255]++;
                d2[cr - pr + 255]++;
                int kp = ((pr >> 3) << 10) | ((pg >> 3) << 5) | (pb >> 3);
                if (!seenPhoto[kp]) {
                    seenPhoto[kp] = true;
                    out.distinctPhoto++;
                }
                int kc = ((cr >> 3) << 10) | ((cg >> 3) << 5) | (cb >> 3);
                if (!seenCartoon[kc]) {
                    seenCartoon[kc] = true;
                    out.distinctCartoon++;
                }
                if (burnt(pr, pg, pb)) {
                    out.burntPhoto++;
                }
                if (burnt(cr, cg, cb)) {
                    out.burntCartoon++;
                }
                yp[i] = luma(pr, pg, pb);
                yc[i] = luma(cr, cg, cb);
            }
            yPhoto.put(row, 0, yp);
            yCartoon.put(row, 0, yc);
        }
        return out;
    }

    private static boolean burnt(int r, int g, int b) {
        return (r & g & b) == 255 || (r | g | b) == 0;
    }

    /** Y = 0.299R + 0.587G + 0.114B on values in 0..1. */
    private static float luma(int r, int g, int b) {
        return (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255);
    }

    /**
     * Luminance in 0..1.
     *
     * @param bgr CV_8UC3
     * @return a new CV_32FC1 Mat; the caller releases it
     */
    static Mat luminance(Mat bgr) {
        List<Mat> temps = new ArrayList<>();
        try {
            Mat m = continuous(bgr, temps);
            int n = (int) m.total();
            byte[] px = new byte[3 * n];
            m.get(0, 0, px);
            float[] y = new float[n];
            for (int i = 0, j = 0; i < n; i++, j += 3) {
                y[i] = luma(px[j + 2] & 0xff, px[j + 1] & 0xff, px[j] & 0xff);
            }
            Mat out = new Mat(m.rows(), m.cols(), CvType.CV_32FC1);
            out.put(0, 0, y);
            return out;
        } finally {
            temps.forEach(Mat::release);
        }
    }

    /** Share of pixels whose local standard deviation of Y is below {@link #FLAT_STD}. */
    static double flatShare(Mat y) {
        Mat mean = new Mat();
        Mat meanSq = new Mat();
        Mat flat = new Mat();
        try {
            Size window = new Size(FLAT_WINDOW, FLAT_WINDOW);
            Imgproc.boxFilter(y, mean, CvType.CV_32F, window, new Point(-1, -1), true, Core.BORDER_REPLICATE);
            Imgproc.sqrBoxFilter(y, meanSq, CvType.CV_32F, window, new Point(-1, -1), true, Core.BORDER_REPLICATE);
            Core.multiply(mean, mean, mean);
            Core.subtract(meanSq, mean, meanSq);
            Core.compare(meanSq, new Scalar(FLAT_STD * FLAT_STD), flat, Core.CMP_LT);
            return Core.countNonZero(flat) / (double) y.total();
        } finally {
            mean.release();
            meanSq.release();
            flat.release();
        }
    }

    /** Share of pixels at least {@link #INK_DEPTH} darker than their {@link #INK_WINDOW}² mean. */
    static double inkShare(Mat y) {
        Mat mean = new Mat();
        Mat ink = new Mat();
        try {
            Imgproc.boxFilter(y, mean, CvType.CV_32F, new Size(INK_WINDOW, INK_WINDOW), new Point(-1, -1), true,
                    Core.BORDER_REPLICATE);
            Core.subtract(mean, y, mean);
            Core.compare(mean, new Scalar(INK_DEPTH), ink, Core.CMP_GE);
            return Core.countNonZero(ink) / (double) y.total();
        } finally {
            mean.release();
            ink.release();
        }
    }

    /** |3×3 Laplacian of Y|, border replicate; a new CV_32FC1 Mat the caller releases. */
    static Mat absLaplacian(Mat y) {
        Mat lap = new Mat();
        Imgproc.Laplacian(y, lap, CvType.CV_32F, 1, 1, 0, Core.BORDER_REPLICATE);
        Core.absdiff(lap, Scalar.all(0), lap);
        return lap;
    }

    /**
     * Mean |Laplacian of Y| of an image: the quantity whose cartoon/photo ratio is the texture figure.
     *
     * @param bgr CV_8UC3
     * @return the mean, Y units
     */
    static double meanAbsLaplacian(Mat bgr) {
        requireBgr8(bgr, "image");
        Mat y = luminance(bgr);
        Mat lap = null;
        try {
            lap = absLaplacian(y);
            return Core.mean(lap).val[0];
        } finally {
            y.release();
            if (lap != null) {
                lap.release();
            }
        }
    }

    /**
     * The photo's edge mask: Y rounded to 8 bits, 3×3 Gaussian blur, Canny 50/150, dilated by a 3×3 square.
     *
     * @param y luminance, CV_32FC1 in 0..1
     * @return a new CV_8UC1 mask, 255 on edges; the caller releases it
     */
    static Mat photoEdges(Mat y) {
        Mat y8 = new Mat();
        Mat blurred = new Mat();
        Mat canny = new Mat();
        Mat square = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3));
        Mat edges = new Mat();
        try {
            y.convertTo(y8, CvType.CV_8U, 255);
            Imgproc.GaussianBlur(y8, blurred, new Size(3, 3), 0, 0, Core.BORDER_REPLICATE);
            Imgproc.Canny(blurred, canny, CANNY_LOW, CANNY_HIGH, 3, false);
            Imgproc.dilate(canny, edges, square);
            return edges;
        } finally {
            y8.release();
            blurred.release();
            canny.release();
            square.release();
        }
    }

    private static double maskedRatio(Mat lapCartoon, Mat lapPhoto, Mat mask) {
        if (Core.countNonZero(mask) == 0) {
            return Double.NaN;
        }
        return ratio(Core.mean(lapCartoon, mask).val[0], Core.mean(lapPhoto, mask).val[0]);
    }

    private static double ratio(double cartoon, double photo) {
        return photo < TEXTURE_FLOOR ? Double.NaN : cartoon / photo;
    }

    /** The image itself when continuous in memory, else a continuous copy kept for release. */
    private static Mat continuous(Mat m, List<Mat> temps) {
        return m.isContinuous() ? m : keep(temps, m.clone());
    }

    private static Mat keep(List<Mat> temps, Mat m) {
        temps.add(m);
        return m;
    }

    private static void requireBgr8(Mat m, String what) {
        if (m == null || m.empty() || m.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("the " + what + " must be a non-empty 8-bit BGR image (CV_8UC3)");
        }
    }
}
