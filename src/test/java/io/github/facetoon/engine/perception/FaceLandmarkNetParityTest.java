package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;

/**
 * The Java port reproduces the package's own JavaScript model: the points in {@code landmarks/expected.json} were
 * written by {@code scripts/landmark-parity/make-expected.mjs} from the same 112×112 PNG inputs.
 */
class FaceLandmarkNetParityTest {

    private static final int SIZE = 112;
    private static FaceLandmarkNet net;
    private static JsonObject expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        net = FaceLandmarkNet.load();
        try (InputStream in = FaceLandmarkNetParityTest.class.getResourceAsStream("/landmarks/expected.json")) {
            expected = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonObject("faces");
        }
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"astronaut-face-112.png", "astronaut-mirrored-rotated-112.png", "camera-face-112.png"})
    void javaPointsMatchTheJavaScriptModelWithinOnePixel(String file) throws IOException {
        Mat bgr = TestResources.read("/landmarks/" + file, tmp);
        float[] chw;
        try {
            chw = ImageTensors.bgrToChw(bgr);
        } finally {
            bgr.release();
        }
        JsonArray points = expected.getAsJsonArray(file);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = net.predict(ImageTensors.toBatch(m, new float[][] {chw}, SIZE, SIZE));
            assertEquals(new Shape(1, 68, 2), out.getShape());
            float[] xy = out.toFloatArray();
            double worst = 0;
            for (int i = 0; i < 68; i++) {
                JsonArray p = points.get(i).getAsJsonArray();
                double dx = (xy[2 * i] - p.get(0).getAsDouble()) * SIZE;
                double dy = (xy[2 * i + 1] - p.get(1).getAsDouble()) * SIZE;
                worst = Math.max(worst, Math.hypot(dx, dy));
            }
            System.out.printf("parity %s: max error %.5f px at 112x112%n", file, worst);
            assertTrue(worst <= 1.0, file + ": max error " + worst + " px");
        }
    }
}
