package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.util.Random;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Deterministic photo-like test images and the degradations the feature-distance checks apply. */
final class TestImages {

    private TestImages() {}

    /**
     * A photo-like scene: a smooth lit background, overlapping shaded discs and boxes with sharp edges, a
     * striped patch, fine texture and sensor-like noise. CHW RGB in [-1,1].
     */
    static float[] scene(int size, long seed) {
        Random rnd = new Random(seed);
        float[][] rgb = new float[3][size * size];
        float[] base = {0.55f + 0.2f * rnd.nextFloat(), 0.5f, 0.4f + 0.2f * rnd.nextFloat()};
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float light = 0.6f + 0.4f * (x + y) / (2f * size);
                for (int c = 0; c < 3; c++) {
                    rgb[c][y * size + x] = base[c] * light;
                }
            }
        }
        for (int s = 0; s < 7; s++) {
            float cx = rnd.nextFloat() * size;
            float cy = rnd.nextFloat() * size;
            float r = size * (0.08f + 0.15f * rnd.nextFloat());
            float[] col = {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()};
            boolean disc = s % 2 == 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float dx = x - cx;
                    float dy = y - cy;
                    boolean inside = disc ? dx * dx + dy * dy < r * r : Math.abs(dx) < r && Math.abs(dy) < 0.6f * r;
                    if (inside) {
                        float shade = disc ? 1f - 0.5f * (float) Math.sqrt(dx * dx + dy * dy) / r : 1f;
                        for (int c = 0; c < 3; c++) {
                            rgb[c][y * size + x] = col[c] * (0.5f + 0.5f * shade);
                        }
                    }
                }
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                float stripes = x > size / 2 && y > size / 2 ? 0.25f * (float) Math.sin(x * 0.9 + y * 0.3) : 0f;
                float texture = 0.04f * (float) (Math.sin(x * 2.1) * Math.cos(y * 1.7));
                for (int c = 0; c < 3; c++) {
                    float v = rgb[c][i] + stripes + texture + 0.02f * (float) rnd.nextGaussian();
                    rgb[c][i] = Math.max(0f, Math.min(1f, v)) * 2f - 1f;
                }
            }
        }
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(rgb[c], 0, out, c * size * size, size * size);
        }
        return out;
    }

    /** Gaussian blur (OpenCV, reflected borders) of a CHW RGB [-1,1] image, through 8-bit. */
    static float[] blur(float[] chw, int size, double sigma) {
        OpenCvRuntime.ensureLoaded();
        Mat bgr = ImageTensors.chwToBgr(chw, size, size);
        Mat out = new Mat();
        try {
            Imgproc.GaussianBlur(bgr, out, new Size(0, 0), sigma);
            return ImageTensors.bgrToChw(out);
        } finally {
            bgr.release();
            out.release();
        }
    }

    /** Colour quantisation to the given number of levels per channel. */
    static float[] quantize(float[] chw, int levels) {
        float[] out = new float[chw.length];
        for (int i = 0; i < chw.length; i++) {
            float unit = (chw[i] + 1f) / 2f;
            out[i] = Math.round(unit * (levels - 1)) / (float) (levels - 1) * 2f - 1f;
        }
        return out;
    }

    /** A (count,3,size,size) batch of different scenes. */
    static NDArray batch(NDManager manager, int count, int size) {
        float[] all = new float[count * 3 * size * size];
        for (int n = 0; n < count; n++) {
            System.arraycopy(scene(size, 17 + n), 0, all, n * 3 * size * size, 3 * size * size);
        }
        return manager.create(all, new Shape(count, 3, size, size));
    }
}
