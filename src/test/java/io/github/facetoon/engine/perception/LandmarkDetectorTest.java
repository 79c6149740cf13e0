package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class LandmarkDetectorTest {

    private static LandmarkDetector detector;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        detector = LandmarkDetector.create();
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void findsTheAstronautsFaceAndAgreesWithTheJavaScriptPipeline() throws IOException {
        Mat img = TestResources.read("/faces/astronaut.png", tmp);
        Optional<FaceLandmarks> found;
        try {
            found = detector.detect(img);
        } finally {
            img.release();
        }
        assertTrue(found.isPresent(), "no face found on the astronaut");
        FaceLandmarks lm = found.get();
        JsonArray reference;
        try (InputStream in = getClass().getResourceAsStream("/landmarks/expected.json")) {
            JsonObject all = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            reference = all.getAsJsonObject("pipeline").getAsJsonArray("points");
        }
        double sum = 0;
        double worst = 0;
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            JsonArray p = reference.get(i).getAsJsonArray();
            double d = Math.hypot(lm.x(i) - p.get(0).getAsDouble(), lm.y(i) - p.get(1).getAsDouble());
            sum += d;
            worst = Math.max(worst, d);
        }
        double mean = sum / FaceLandmarks.COUNT;
        double iod = lm.interOcularDistance();
        System.out.printf("astronaut: crop %s, inter-ocular %.1f px, vs face-api pipeline mean %.2f px, max %.2f px%n",
                lm.crop(), iod, mean, worst);
        // Another detector and framing than face-api's, so not bit-exact: within 5% / 10% of the inter-ocular distance.
        assertTrue(mean < 0.05 * iod, "mean distance to the face-api pipeline " + mean + " px");
        assertTrue(worst < 0.10 * iod, "max distance to the face-api pipeline " + worst + " px");
    }

    @Test
    void findsAFaceInProfileThroughTheProfileCascade() throws IOException {
        Mat img = TestResources.read("/faces/camera.png", tmp);
        try {
            FaceLandmarks lm = detector.detect(img).orElseThrow(() -> new AssertionError("no face in camera.png"));
            // The man's head is around (225, 140) in the 512x512 photo; his nose tip points right.
            assertTrue(lm.crop().centerX() > 180 && lm.crop().centerX() < 270, lm.crop().toString());
            assertTrue(lm.crop().centerY() > 100 && lm.crop().centerY() < 190, lm.crop().toString());
            assertTrue(lm.x(30) > lm.x(8), "nose tip should lie right of the chin in this profile");
        } finally {
            img.release();
        }
    }

    @Test
    void findsNoFaceOnAFlatGreyImage() {
        Mat grey = new Mat(240, 320, CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            assertTrue(detector.detect(grey).isEmpty());
            assertTrue(detector.detectAll(grey).isEmpty());
        } finally {
            grey.release();
        }
    }

    @Test
    void cropAndImageCoordinatesRoundTrip() {
        FaceCrop crop = new FaceCrop(37.5, -12.25, 140.0);
        double[] rel = {0, 0, 1, 1, 0.25, 0.75, -0.1, 1.2};
        double[] image = crop.toImage(rel);
        assertArrayEquals(new double[] {37.5, -12.25, 177.5, 127.75, 72.5, 92.75, 23.5, 155.75}, image, 1e-9);
        assertArrayEquals(rel, crop.toCrop(image), 1e-12);
    }

    @Test
    void cropOutsideTheImageIsPaddedBlack() {
        Mat white = new Mat(50, 50, CvType.CV_8UC3, new Scalar(255, 255, 255));
        Mat out = LandmarkDetector.cropSquare(white, new FaceCrop(-50, 0, 100), 10);
        try {
            assertEquals(10, out.rows());
            assertEquals(0, out.get(5, 0)[0], 1e-9);
            assertEquals(255, out.get(2, 7)[0], 1e-9);
        } finally {
            white.release();
            out.release();
        }
    }
}
