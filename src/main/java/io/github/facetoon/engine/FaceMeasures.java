package io.github.facetoon.engine;

import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.perception.LandmarkDetector;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's face landmarks: the detector loaded on first use (or said once to be unavailable), faces found on a
 * photo, and the landmark error of a cartoon against its photo. Thread-safe: one detection at a time.
 */
final class FaceMeasures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaceMeasures.class);

    private LandmarkDetector detector;
    private boolean unavailable;

    /** @param bgr a photo @return its largest face, or empty (also when the detector is unavailable) */
    synchronized Optional<FaceLandmarks> detect(Mat bgr) {
        LandmarkDetector d = detector();
        return d == null ? Optional.empty() : d.detect(bgr);
    }

    /** @param bgr a photo @return every face found on it, largest first; empty when unavailable */
    synchronized List<FaceLandmarks> detectAll(Mat bgr) {
        LandmarkDetector d = detector();
        return d == null ? List.of() : d.detectAll(bgr);
    }

    /**
     * Landmark NME of a cartoon against its photo, on the photo's face framing.
     *
     * @param photo the photo
     * @param cartoon its cartoon, the same size
     * @return the mean landmark distance over the inter-ocular distance; NaN without a face
     */
    synchronized double nme(Mat photo, Mat cartoon) {
        List<FaceLandmarks> faces = detectAll(photo);
        return faces.isEmpty() ? Double.NaN : nme(faces.get(0), cartoon);
    }

    /**
     * Landmark NME of a cartoon against a face found on its photo, located on the cartoon in the same framing.
     *
     * @param p the photo's face
     * @param cartoon the cartoon
     * @return the mean landmark distance over the inter-ocular distance
     */
    synchronized double nme(FaceLandmarks p, Mat cartoon) {
        FaceLandmarks q = detector().locate(cartoon, p.detection());
        double sum = 0;
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            sum += Math.hypot(p.x(i) - q.x(i), p.y(i) - q.y(i));
        }
        return sum / FaceLandmarks.COUNT / Math.max(1e-6, p.interOcularDistance());
    }

    /** The detector, loaded on first use; null when it cannot be loaded (said once in the log). */
    private LandmarkDetector detector() {
        if (detector == null && !unavailable) {
            try {
                detector = LandmarkDetector.create();
            } catch (IOException | RuntimeException e) {
                unavailable = true;
                LOG.warn("face landmarks unavailable: {}", e.getMessage());
            }
        }
        return detector;
    }

    @Override
    public synchronized void close() {
        if (detector != null) {
            detector.close();
            detector = null;
        }
    }
}
