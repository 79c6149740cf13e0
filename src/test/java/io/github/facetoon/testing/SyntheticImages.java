package io.github.facetoon.testing;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Small generated training images: noisy "photos" of a face-like shape and flat-colour "cartoons". */
public final class SyntheticImages {

    private SyntheticImages() {}

    /**
     * Writes {@code count} photo-like images (gradients, noise, an ellipse face with eyes) as PNG.
     *
     * @param dir the folder (created)
     * @param count how many
     * @param size side in pixels
     * @param seed random seed
     * @return the folder
     * @throws IOException when the folder cannot be created
     */
    public static Path photos(Path dir, int count, int size, long seed) throws IOException {
        OpenCvRuntime.ensureLoaded();
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            Mat m = new Mat(size, size, CvType.CV_8UC3, new Scalar(60 + r.nextInt(120), 80 + r.nextInt(100), 90 + r.nextInt(100)));
            Point c = new Point(size / 2.0 + r.nextInt(5) - 2, size / 2.0 + r.nextInt(5) - 2);
            Imgproc.ellipse(m, c, new Size(size * 0.3, size * 0.38), 0, 0, 360, new Scalar(120, 150, 200), -1);
            Imgproc.circle(m, new Point(c.x - size * 0.12, c.y - size * 0.08), Math.max(1, size / 20), new Scalar(40, 30, 30), -1);
            Imgproc.circle(m, new Point(c.x + size * 0.12, c.y - size * 0.08), Math.max(1, size / 20), new Scalar(40, 30, 30), -1);
            Imgproc.line(m, new Point(c.x - size * 0.1, c.y + size * 0.15), new Point(c.x + size * 0.1, c.y + size * 0.15),
                    new Scalar(60, 60, 150), Math.max(1, size / 32));
            Mat noise = new Mat(size, size, CvType.CV_8UC3);
            Core.randn(noise, 0, 12);
            Core.add(m, noise, m);
            Imgcodecs.imwrite(dir.resolve("photo_" + i + ".png").toString(), m);
            m.release();
            noise.release();
        }
        return dir;
    }

    /**
     * Writes {@code count} cartoon-like images (flat colour regions with dark outlines) as PNG.
     *
     * @param dir the folder (created)
     * @param count how many
     * @param size side in pixels
     * @param seed random seed
     * @return the folder
     * @throws IOException when the folder cannot be created
     */
    public static Path cartoons(Path dir, int count, int size, long seed) throws IOException {
        OpenCvRuntime.ensureLoaded();
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            Mat m = new Mat(size, size, CvType.CV_8UC3, new Scalar(200 + r.nextInt(50), 220, 240));
            Point c = new Point(size / 2.0, size / 2.0);
            Imgproc.ellipse(m, c, new Size(size * 0.3, size * 0.36), 0, 0, 360, new Scalar(170, 200, 250), -1);
            Imgproc.ellipse(m, c, new Size(size * 0.3, size * 0.36), 0, 0, 360, new Scalar(20, 20, 20), Math.max(1, size / 40));
            Imgproc.circle(m, new Point(c.x - size * 0.1, c.y - size * 0.06), Math.max(1, size / 16), new Scalar(30, 30, 30), -1);
            Imgproc.circle(m, new Point(c.x + size * 0.1, c.y - size * 0.06), Math.max(1, size / 16), new Scalar(30, 30, 30), -1);
            Imgcodecs.imwrite(dir.resolve("cartoon_" + i + ".png").toString(), m);
            m.release();
        }
        return dir;
    }
}
