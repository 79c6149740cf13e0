package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Finds frontal faces with OpenCV's Haar cascade {@code haarcascade_frontalface_alt2} (shipped inside the bytedeco
 * OpenCV jar, BSD-licensed).
 *
 * <p>Why a cascade: it is already in the OpenCV we ship, needs no decoder code, is deterministic and fast on a CPU, and
 * its square boxes are consistent in scale (brows to chin). Its boxes are only a start: {@link LandmarkDetector}
 * re-centres the crop on the landmarks, so the landmark net sees the framing it prefers whatever the detector.
 * The cascade finds frontal and slightly turned faces; strong profiles are missed.
 */
public final class FaceDetector implements AutoCloseable {

    private static final String CASCADE = "haarcascade_frontalface_alt2.xml";
    private static volatile Path cascadeFile;

    private final CascadeClassifier cascade;

    private FaceDetector(CascadeClassifier cascade) {
        this.cascade = cascade;
    }

    /**
     * Loads the cascade (extracted from the class path to a temporary file once per process).
     *
     * @return the detector
     * @throws IOException when the cascade is missing from the class path or cannot be loaded
     */
    public static FaceDetector create() throws IOException {
        OpenCvRuntime.ensureLoaded();
        CascadeClassifier c = new CascadeClassifier(cascadeFile().toString());
        if (c.empty()) {
            throw new IOException("OpenCV could not load the face cascade " + CASCADE);
        }
        return new FaceDetector(c);
    }

    private static Path cascadeFile() throws IOException {
        if (cascadeFile == null) {
            synchronized (FaceDetector.class) {
                if (cascadeFile == null) {
                    String resource = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + CASCADE;
                    try (InputStream in = FaceDetector.class.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new IOException("face cascade " + resource + " is missing from the class path");
                        }
                        Path file = Files.createTempFile("facetoon-", "-" + CASCADE);
                        file.toFile().deleteOnExit();
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                        cascadeFile = file;
                    }
                }
            }
        }
        return cascadeFile;
    }

    /**
     * Finds faces.
     *
     * @param bgr an 8-bit BGR (or greyscale) image
     * @return square boxes in image pixels, largest first; empty when there is no face
     */
    public List<FaceCrop> detect(Mat bgr) {
        Mat grey = new Mat();
        MatOfRect found = new MatOfRect();
        try {
            if (bgr.channels() == 3) {
                Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            } else {
                bgr.copyTo(grey);
            }
            Imgproc.equalizeHist(grey, grey);
            int min = Math.max(24, Math.min(grey.rows(), grey.cols()) / 10);
            cascade.detectMultiScale(grey, found, 1.1, 4, 0, new Size(min, min), new Size());
            List<FaceCrop> faces = new ArrayList<>();
            for (Rect r : found.toArray()) {
                double side = Math.max(r.width, r.height);
                faces.add(FaceCrop.centered(r.x + r.width / 2.0, r.y + r.height / 2.0, side));
            }
            faces.sort(Comparator.comparingDouble(FaceCrop::size).reversed());
            return faces;
        } finally {
            grey.release();
            found.release();
        }
    }

    @Override
    public void close() {
        // CascadeClassifier frees its native object when collected; nothing else to release.
    }
}
