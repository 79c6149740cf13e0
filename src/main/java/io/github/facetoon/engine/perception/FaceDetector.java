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
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Finds faces with OpenCV's Haar cascades {@code haarcascade_frontalface_alt2}, and {@code haarcascade_profileface}
 * when no frontal face is found (both shipped inside the bytedeco OpenCV jar, BSD-licensed).
 *
 * <p>Why a cascade: it is already in the OpenCV we ship, needs no decoder code, is deterministic and fast on a CPU, and
 * its square boxes are consistent in scale (brows to chin). Its boxes are only a start: {@link LandmarkDetector}
 * re-centres the crop on the landmarks, so the landmark net sees the framing it prefers whatever the detector.
 * The landmark net itself is best on frontal and three-quarter faces.
 */
public final class FaceDetector implements AutoCloseable {

    private static final String FRONTAL = "haarcascade_frontalface_alt2.xml";
    private static final String PROFILE = "haarcascade_profileface.xml";
    private static final java.util.Map<String, Path> CASCADE_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    private final CascadeClassifier frontal;
    private final CascadeClassifier profile;

    private FaceDetector(CascadeClassifier frontal, CascadeClassifier profile) {
        this.frontal = frontal;
        this.profile = profile;
    }

    /**
     * Loads the cascades (extracted from the class path to temporary files once per process).
     *
     * @return the detector
     * @throws IOException when the cascade is missing from the class path or cannot be loaded
     */
    public static FaceDetector create() throws IOException {
        OpenCvRuntime.ensureLoaded();
        return new FaceDetector(cascade(FRONTAL), cascade(PROFILE));
    }

    private static CascadeClassifier cascade(String name) throws IOException {
        CascadeClassifier c = new CascadeClassifier(cascadeFile(name).toString());
        if (c.empty()) {
            throw new IOException("OpenCV could not load the face cascade " + name);
        }
        return c;
    }

    private static synchronized Path cascadeFile(String name) throws IOException {
        Path known = CASCADE_FILES.get(name);
        if (known != null && Files.isRegularFile(known)) {
            return known;
        }
        String resource = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + name;
        try (InputStream in = FaceDetector.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("face cascade " + resource + " is missing from the class path");
            }
            Path file = Files.createTempFile("facetoon-", "-" + name);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            CASCADE_FILES.put(name, file);
            return file;
        }
    }

    /**
     * Finds faces: frontal ones first; when there is none, faces in profile (looking either way).
     *
     * @param bgr an 8-bit BGR (or greyscale) image
     * @return square boxes in image pixels, largest first; empty when there is no face
     */
    public List<FaceCrop> detect(Mat bgr) {
        Mat grey = new Mat();
        try {
            if (bgr.channels() == 3) {
                Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            } else {
                bgr.copyTo(grey);
            }
            Imgproc.equalizeHist(grey, grey);
            int min = Math.max(24, Math.min(grey.rows(), grey.cols()) / 10);
            List<FaceCrop> faces = run(frontal, grey, min, false);
            if (faces.isEmpty()) {
                // The profile cascade knows one facing direction; the mirror image finds faces turned the other way.
                faces.addAll(run(profile, grey, min, false));
                Core.flip(grey, grey, 1);
                faces.addAll(run(profile, grey, min, true));
            }
            faces.sort(Comparator.comparingDouble(FaceCrop::size).reversed());
            return faces;
        } finally {
            grey.release();
        }
    }

    private static List<FaceCrop> run(CascadeClassifier cascade, Mat grey, int min, boolean mirrored) {
        MatOfRect found = new MatOfRect();
        try {
            cascade.detectMultiScale(grey, found, 1.1, 4, 0, new Size(min, min), new Size());
            List<FaceCrop> faces = new ArrayList<>();
            for (Rect r : found.toArray()) {
                double cx = r.x + r.width / 2.0;
                faces.add(FaceCrop.centered(mirrored ? grey.cols() - cx : cx, r.y + r.height / 2.0,
                        Math.max(r.width, r.height)));
            }
            return faces;
        } finally {
            found.release();
        }
    }

    @Override
    public void close() {
        // CascadeClassifier frees its native object when collected; nothing else to release.
    }
}
