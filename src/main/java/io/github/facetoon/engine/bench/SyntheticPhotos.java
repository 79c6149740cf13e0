package io.github.facetoon.engine.bench;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Generated stand-ins for training and test images, so the benchmark runs on any machine without a data set:
 * noisy head-like shapes for photos, flat regions with outlines for cartoons. Timings do not depend on content,
 * except that the face detector finds no face in them (so photos are used whole).
 */
public final class SyntheticPhotos {

    private SyntheticPhotos() {}

    /**
     * Draws one photo-like image.
     *
     * @param size side in pixels
     * @param random the source of variation
     * @return a new 8-bit BGR Mat; the caller releases it
     */
    public static Mat photo(int size, Random random) {
        OpenCvRuntime.ensureLoaded();
        Mat m = new Mat(size, size, CvType.CV_8UC3,
                new Scalar(50 + random.nextInt(150), 50 + random.nextInt(150), 50 + random.nextInt(150)));
        Point centre = new Point(size * (0.4 + 0.2 * random.nextDouble()), size * (0.4 + 0.2 * random.nextDouble()));
        Imgproc.ellipse(m, centre, new Size(size * 0.28, size * 0.36), 0, 0, 360,
                new Scalar(100 + random.nextInt(60), 130 + random.nextInt(60), 180 + random.nextInt(60)), -1);
        for (int eye = -1; eye <= 1; eye += 2) {
            Imgproc.circle(m, new Point(centre.x + eye * size * 0.11, centre.y - size * 0.07), Math.max(1, size / 22),
                    new Scalar(35, 30, 30), -1);
        }
        Mat noise = new Mat(size, size, CvType.CV_8UC3);
        try {
            Core.randn(noise, 0, 10);
            Core.add(m, noise, m);
        } finally {
            noise.release();
        }
        return m;
    }

    /**
     * Encodes a photo-like image as JPEG bytes, the input of the whole inference path.
     *
     * @param size side in pixels
     * @param seed random seed
     * @return the file's bytes
     */
    public static byte[] jpeg(int size, long seed) {
        Mat m = photo(size, new Random(seed));
        MatOfByte buf = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", m, buf);
            return buf.toArray();
        } finally {
            m.release();
            buf.release();
        }
    }

    /**
     * Writes photo-like PNGs.
     *
     * @param dir the folder (created)
     * @param count how many
     * @param size side in pixels
     * @param seed random seed
     * @return the folder
     * @throws IOException when the folder cannot be created
     */
    public static Path writePhotos(Path dir, int count, int size, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Mat m = photo(size, random);
            try {
                Imgcodecs.imwrite(dir.resolve("photo_" + i + ".png").toString(), m);
            } finally {
                m.release();
            }
        }
        return dir;
    }

    /**
     * Writes cartoon-like PNGs: flat colours with dark outlines.
     *
     * @param dir the folder (created)
     * @param count how many
     * @param size side in pixels
     * @param seed random seed
     * @return the folder
     * @throws IOException when the folder cannot be created
     */
    public static Path writeCartoons(Path dir, int count, int size, long seed) throws IOException {
        OpenCvRuntime.ensureLoaded();
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Mat m = new Mat(size, size, CvType.CV_8UC3, new Scalar(190 + random.nextInt(60), 210, 235));
            try {
                Point c = new Point(size / 2.0, size / 2.0);
                Size axes = new Size(size * 0.3, size * 0.36);
                Imgproc.ellipse(m, c, axes, 0, 0, 360, new Scalar(160 + random.nextInt(40), 195, 245), -1);
                Imgproc.ellipse(m, c, axes, 0, 0, 360, new Scalar(25, 25, 25), Math.max(1, size / 40));
                Imgcodecs.imwrite(dir.resolve("cartoon_" + i + ".png").toString(), m);
            } finally {
                m.release();
            }
        }
        return dir;
    }
}
