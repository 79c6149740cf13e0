package io.github.facetoon.engine.infer;

import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A cartoon filter without a network, for when no model loads: flat colour regions with dark outlines.
 *
 * <p>The steps mirror the three White-box representations (Wang &amp; Yu, CVPR 2020, Sec. 3) done by hand:
 * <ol>
 *   <li>surface: edge-preserving smoothing, repeated bilateral filtering, which flattens texture and keeps edges;</li>
 *   <li>structure: cel shading, the Lab lightness snapped to a few tones found by a 1-D k-means (deterministic:
 *       quantile start, fixed iterations) while hue and chroma are kept, then a median filter against specks, a
 *       light mix with the smooth shading against blotches on soft gradients, and a saturation boost;</li>
 *   <li>lines: a thresholded difference of Gaussians on the smoothed grey image (the XDoG idea of Winnemöller et al.,
 *       Computers &amp; Graphics 2012), which inks the dark side of every strong edge with a soft, continuous stroke.</li>
 * </ol>
 *
 * <p>Large images are processed at a working size (long side at most {@link CartoonFilterSettings#workSize()}) and the colour and
 * line layers are scaled back to the input size, so a 4000×3000 photo costs about as much as a 1000×750 one. Images
 * smaller than 16 pixels on a side are padded by replication first, so 1×1 works. Thread-safe: no state between
 * calls.
 */
public final class ClassicCartoonFilter {

    static final int MIN_SIDE = 16;
    private static final double SHADING = 0.3;
    private static final double SATURATION = 1.2;
    private static final double INK_SHADE = 0.18;
    static final double SPARE_DARK_FROM = 30;
    static final double SPARE_DARK_TO = 90;

    private final CartoonFilterSettings settings;

    /** Creates the filter with {@link CartoonFilterSettings#defaults()}. */
    public ClassicCartoonFilter() {
        this(CartoonFilterSettings.defaults());
    }

    /**
     * Creates the filter.
     *
     * @param settings tuning
     */
    public ClassicCartoonFilter(CartoonFilterSettings settings) {
        this.settings = settings;
    }

    /**
     * Cartoonizes an image.
     *
     * @param bgr CV_8UC3 image of any size
     * @return a new CV_8UC3 image of the same size; the caller releases it
     */
    public Mat apply(Mat bgr) {
        OpenCvRuntime.ensureLoaded();
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR image (CV_8UC3), got "
                    + (bgr.empty() ? "an empty Mat" : "type " + bgr.type()));
        }
        int h = bgr.rows();
        int w = bgr.cols();
        if (h >= MIN_SIDE && w >= MIN_SIDE) {
            return applyLarge(bgr);
        }
        // Tiny input: pad by replication so every filter has room, then crop the result back.
        int padY = Math.max(0, MIN_SIDE - h);
        int padX = Math.max(0, MIN_SIDE - w);
        Mat padded = new Mat();
        Mat big = null;
        try {
            Core.copyMakeBorder(bgr, padded, padY / 2, padY - padY / 2, padX / 2, padX - padX / 2,
                    Core.BORDER_REPLICATE);
            big = applyLarge(padded);
            return big.submat(padY / 2, padY / 2 + h, padX / 2, padX / 2 + w).clone();
        } finally {
            padded.release();
            if (big != null) {
                big.release();
            }
        }
    }

    /**
     * Cartoonizes a preview image.
     *
     * @param image the image
     * @return the cartoon, same size
     */
    public PixelImage apply(PixelImage image) {
        OpenCvRuntime.ensureLoaded();
        Mat bgr = ImageTensors.pixelsToBgr(image);
        Mat out = null;
        try {
            out = apply(bgr);
            return ImageTensors.bgrToPixels(out);
        } finally {
            bgr.release();
            if (out != null) {
                out.release();
            }
        }
    }

    /**
     * Cartoonizes an image with filter sizes for a given scale rather than the image's size: what the pretraining
     * target uses, so that a 128-px training crop gets the strokes its face would get at the model's working scale.
     *
     * @param bgr CV_8UC3 image, at least 16 pixels on a side, at most {@link CartoonFilterSettings#workSize()} on the long one
     * @param unit filter size unit (the default {@link #apply(Mat)} uses the image's longest side / 512)
     * @return a new CV_8UC3 image of the same size; the caller releases it
     */
    public Mat apply(Mat bgr, double unit) {
        OpenCvRuntime.ensureLoaded();
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3 || bgr.rows() < MIN_SIDE || bgr.cols() < MIN_SIDE
                || Math.max(bgr.rows(), bgr.cols()) > settings.workSize() || !(unit > 0)) {
            throw new IllegalArgumentException("expected an 8-bit BGR image of " + MIN_SIDE + " to "
                    + settings.workSize() + " pixels a side and a unit > 0");
        }
        List<Mat> temps = new ArrayList<>();
        try {
            return render(bgr, unit, temps);
        } finally {
            temps.forEach(Mat::release);
        }
    }

    private Mat render(Mat work, double unit, List<Mat> temps) {
        Mat[] layers = layers(work, unit, temps);
        return compose(layers[0], layers[1]);
    }

    /** The colour layer (CV_8UC3) and the ink layer (CV_32F, 1 = full ink) of a working image, tracked in temps. */
    private Mat[] layers(Mat work, double unit, List<Mat> temps) {
        Mat smooth = track(temps, smooth(work, unit));
        Mat colour = track(temps, quantise(smooth));
        Mat ink = track(temps, lines(settings.linesOnColour() ? colour : smooth, unit));
        if (settings.spareDark()) {
            spareDark(ink, colour);
        }
        return new Mat[] {colour, ink};
    }

    private Mat applyLarge(Mat bgr) {
        List<Mat> temps = new ArrayList<>();
        try {
            int h = bgr.rows();
            int w = bgr.cols();
            double scale = Math.min(1.0, settings.workSize() / (double) Math.max(h, w));
            Mat work = track(temps, new Mat());
            if (scale < 1.0) {
                Imgproc.resize(bgr, work, new Size(Math.max(MIN_SIDE, Math.round(w * scale)),
                        Math.max(MIN_SIDE, Math.round(h * scale))), 0, 0, Imgproc.INTER_AREA);
            } else {
                bgr.copyTo(work);
            }
            // Filter sizes grow with the working image so the look does not depend on the resolution.
            double unit = Math.max(work.rows(), work.cols()) / 512.0;

            Mat[] layers = layers(work, unit, temps);
            Mat colour = layers[0];
            Mat ink = layers[1];

            Mat colourFull = track(temps, new Mat());
            Mat inkFull = track(temps, new Mat());
            if (scale < 1.0) {
                Imgproc.resize(colour, colourFull, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
                Imgproc.resize(ink, inkFull, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
            } else {
                colour.copyTo(colourFull);
                ink.copyTo(inkFull);
            }
            return compose(colourFull, inkFull);
        } finally {
            temps.forEach(Mat::release);
        }
    }

    /** Repeated small bilateral filters: each pass flattens texture further while keeping strong edges. */
    private Mat smooth(Mat work, double unit) {
        Mat a = work.clone();
        Mat b = new Mat();
        int d = Math.max(5, (int) Math.round(7 * unit)) | 1;
        double sigmaSpace = 4 * unit + 1;
        for (int pass = 0; pass < settings.smoothingPasses(); pass++) {
            Imgproc.bilateralFilter(a, b, d, 36, sigmaSpace);
            Mat t = a;
            a = b;
            b = t;
        }
        b.release();
        return a;
    }

    /**
     * Cel shading: the lightness is mapped to the nearest of a few tones (a 1-D k-means in Lab), while the hue and
     * chroma of the smoothed image are kept, so skin stays skin-coloured however small the palette.
     */
    private Mat quantise(Mat smooth) {
        if (settings.colours() == 0) {
            Mat clean = new Mat();
            Imgproc.medianBlur(smooth, clean, 5);
            Core.addWeighted(clean, 1 - SHADING, smooth, SHADING, 0, clean);
            boostSaturation(clean);
            stretchLightness(clean, settings.contrast());
            return clean;
        }
        Mat lab = new Mat();
        Imgproc.cvtColor(smooth, lab, Imgproc.COLOR_BGR2Lab);
        int n = lab.rows() * lab.cols();
        byte[] px = new byte[3 * n];
        lab.get(0, 0, px);
        byte[] lightness = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            lightness[3 * i] = px[3 * i];
            lightness[3 * i + 1] = (byte) 128;
            lightness[3 * i + 2] = (byte) 128;
        }
        float[] tones = Palette.fit(lightness, n, settings.colours());
        int k = tones.length / 3;
        for (int i = 0; i < n; i++) {
            int best = Palette.nearest(tones, k, px[3 * i] & 0xff, 128, 128);
            px[3 * i] = (byte) Math.round(tones[3 * best]);
        }
        lab.put(0, 0, px);
        Mat bgrOut = new Mat();
        Imgproc.cvtColor(lab, bgrOut, Imgproc.COLOR_Lab2BGR);
        lab.release();
        Mat clean = new Mat();
        Imgproc.medianBlur(bgrOut, clean, 5);
        bgrOut.release();
        // Keep a little of the smooth shading under the flat tones: hard posterisation of soft gradients (a wall,
        // a cheek) gives blotches, a light mix gives cel-shading.
        Core.addWeighted(clean, 1 - SHADING, smooth, SHADING, 0, clean);
        boostSaturation(clean);
        stretchLightness(clean, settings.contrast());
        return clean;
    }

    /** Multiplies the spread of the Lab lightness about the image's mean by {@code contrast} (1: unchanged). */
    private static void stretchLightness(Mat bgr, double contrast) {
        if (contrast == 1.0) {
            return;
        }
        Mat lab = new Mat();
        List<Mat> channels = new ArrayList<>();
        try {
            Imgproc.cvtColor(bgr, lab, Imgproc.COLOR_BGR2Lab);
            Core.split(lab, channels);
            Mat lightness = channels.get(0);
            double mean = Core.mean(lightness).val[0];
            // L' = mean + contrast·(L − mean), rounded and saturated to 0..255
            lightness.convertTo(lightness, -1, contrast, mean * (1 - contrast));
            Core.merge(channels, lab);
            Imgproc.cvtColor(lab, bgr, Imgproc.COLOR_Lab2BGR);
        } finally {
            lab.release();
            channels.forEach(Mat::release);
        }
    }

    /** Fades the ink out where the colour layer is dark: nothing below grey {@value #SPARE_DARK_FROM}, all from {@value #SPARE_DARK_TO}. */
    private static void spareDark(Mat ink, Mat colour) {
        Mat grey = new Mat();
        try {
            Imgproc.cvtColor(colour, grey, Imgproc.COLOR_BGR2GRAY);
            double span = SPARE_DARK_TO - SPARE_DARK_FROM;
            grey.convertTo(grey, CvType.CV_32F, 1 / span, -SPARE_DARK_FROM / span);
            Imgproc.threshold(grey, grey, 1.0, 1.0, Imgproc.THRESH_TRUNC);
            Imgproc.threshold(grey, grey, 0.0, 0.0, Imgproc.THRESH_TOZERO);
            Core.multiply(ink, grey, ink);
        } finally {
            grey.release();
        }
    }

    /** Soft outlines from a difference of Gaussians of a smoothed grey image; returns ink opacity in [0,1]. */
    private Mat lines(Mat smooth, double unit) {
        Mat grey = new Mat();
        Mat g1 = new Mat();
        Mat g2 = new Mat();
        Mat dog = new Mat();
        try {
            Imgproc.cvtColor(smooth, grey, Imgproc.COLOR_BGR2GRAY);
            grey.convertTo(grey, CvType.CV_32F);
            double sigma = settings.lineSigma() * unit;
            Imgproc.GaussianBlur(grey, g1, new Size(0, 0), sigma);
            Imgproc.GaussianBlur(grey, g2, new Size(0, 0), 1.6 * sigma);
            Core.subtract(g2, g1, dog);                 // positive on the dark side of an edge
            // Ink ramps from 0 at a difference of inkFrom grey levels to 1 at inkFrom + inkRamp (2 to 6 by default).
            Mat ink = new Mat();
            dog.convertTo(ink, CvType.CV_32F, 1 / settings.inkRamp(), -settings.inkFrom() / settings.inkRamp());
            Imgproc.threshold(ink, ink, 1.0, 1.0, Imgproc.THRESH_TRUNC);
            Imgproc.threshold(ink, ink, 0.0, 0.0, Imgproc.THRESH_TOZERO);
            return ink;
        } finally {
            grey.release();
            g1.release();
            g2.release();
            dog.release();
        }
    }

    /**
     * Darkens the colour layer where there is ink: out = colour·(1 − s·ink) + dark·s·ink with dark = 0.18·colour,
     * a very dark shade of the region's own colour rather than flat black, i.e. out = colour·(1 − 0.82·s·ink).
     */
    private Mat compose(Mat colour, Mat ink) {
        Mat factor = new Mat();
        Mat factor3 = new Mat();
        Mat colourF = new Mat();
        try {
            ink.convertTo(factor, CvType.CV_32F, -(1 - INK_SHADE) * settings.lineStrength(), 1.0);
            Core.merge(List.of(factor, factor, factor), factor3);
            colour.convertTo(colourF, CvType.CV_32FC3);
            Core.multiply(colourF, factor3, colourF);
            Mat out = new Mat();
            colourF.convertTo(out, CvType.CV_8UC3);                      // rounds and saturates
            return out;
        } finally {
            factor.release();
            factor3.release();
            colourF.release();
        }
    }

    /** Scales saturation by {@link #SATURATION}: cartoons are more colourful than photos. */
    private static void boostSaturation(Mat bgr) {
        Mat hsv = new Mat();
        try {
            Imgproc.cvtColor(bgr, hsv, Imgproc.COLOR_BGR2HSV);
            int n = hsv.rows() * hsv.cols();
            byte[] px = new byte[3 * n];
            hsv.get(0, 0, px);
            for (int i = 0; i < n; i++) {
                int sat = (int) Math.round((px[3 * i + 1] & 0xff) * SATURATION);
                px[3 * i + 1] = (byte) Math.min(255, sat);
            }
            hsv.put(0, 0, px);
            Imgproc.cvtColor(hsv, bgr, Imgproc.COLOR_HSV2BGR);
        } finally {
            hsv.release();
        }
    }

    private static Mat track(List<Mat> temps, Mat m) {
        temps.add(m);
        return m;
    }

    /** A deterministic k-means palette on 8-bit Lab pixels. */
    static final class Palette {

        private static final int SAMPLES = 40_000;
        private static final int ITERATIONS = 12;

        private Palette() {}

        /**
         * Fits up to {@code k} centres.
         *
         * @param px interleaved 8-bit Lab pixels
         * @param n pixel count
         * @param k palette size
         * @return 3·k' centre coordinates, k' ≤ k
         */
        static float[] fit(byte[] px, int n, int k) {
            int stride = Math.max(1, n / SAMPLES);
            int m = (n + stride - 1) / stride;
            int[] sample = new int[3 * m];
            for (int j = 0; j < m; j++) {
                int i = j * stride;
                sample[3 * j] = px[3 * i] & 0xff;
                sample[3 * j + 1] = px[3 * i + 1] & 0xff;
                sample[3 * j + 2] = px[3 * i + 2] & 0xff;
            }
            k = Math.min(k, m);
            // Start from lightness quantiles: deterministic, and it spreads the tones a portrait needs.
            Integer[] byLight = new Integer[m];
            for (int j = 0; j < m; j++) {
                byLight[j] = j;
            }
            java.util.Arrays.sort(byLight, (x, y) -> Integer.compare(sample[3 * x], sample[3 * y]));
            float[] centres = new float[3 * k];
            for (int c = 0; c < k; c++) {
                int j = byLight[(int) ((c + 0.5) * m / k)];
                centres[3 * c] = sample[3 * j];
                centres[3 * c + 1] = sample[3 * j + 1];
                centres[3 * c + 2] = sample[3 * j + 2];
            }
            double[] sums = new double[3 * k];
            int[] counts = new int[k];
            for (int it = 0; it < ITERATIONS; it++) {
                java.util.Arrays.fill(sums, 0);
                java.util.Arrays.fill(counts, 0);
                for (int j = 0; j < m; j++) {
                    int best = nearest(centres, k, sample[3 * j], sample[3 * j + 1], sample[3 * j + 2]);
                    sums[3 * best] += sample[3 * j];
                    sums[3 * best + 1] += sample[3 * j + 1];
                    sums[3 * best + 2] += sample[3 * j + 2];
                    counts[best]++;
                }
                for (int c = 0; c < k; c++) {
                    if (counts[c] > 0) {
                        for (int d = 0; d < 3; d++) {
                            centres[3 * c + d] = (float) (sums[3 * c + d] / counts[c]);
                        }
                    }
                }
            }
            return centres;
        }

        static int nearest(float[] centres, int k, int l, int a, int b) {
            int best = 0;
            float bestD = Float.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                float dl = centres[3 * c] - l;
                float da = centres[3 * c + 1] - a;
                float db = centres[3 * c + 2] - b;
                float dist = dl * dl + da * da + db * db;
                if (dist < bestD) {
                    bestD = dist;
                    best = c;
                }
            }
            return best;
        }
    }
}
