package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandmarksCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return FaceToonCli.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private Path astronaut() throws IOException {
        Path file = tmp.resolve("astronaut.png");
        try (InputStream in = getClass().getResourceAsStream("/faces/astronaut.png")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void printsSixtyEightPointsForTheAstronautAndDrawsThemIntoANewFile() throws IOException {
        Path input = astronaut();
        byte[] before = Files.readAllBytes(input);
        Path drawn = tmp.resolve("drawn.png");
        int code = run("landmarks", input.toString(), "--draw", drawn.toString());
        assertEquals(0, code, err.toString());
        long lines = out.toString().lines().filter(l -> l.matches("\\d+ [-0-9.]+ [-0-9.]+")).count();
        assertEquals(68, lines, out.toString());
        assertTrue(Files.size(drawn) > 1000, "the drawing was not written");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)), "the input changed");
    }

    @Test
    void printsJsonWithSixtyEightPoints() throws IOException {
        int code = run("landmarks", astronaut().toString(), "--json");
        assertEquals(0, code, err.toString());
        JsonObject json = JsonParser.parseString(out.toString().trim()).getAsJsonObject();
        assertEquals(68, json.getAsJsonArray("points").size());
        // The nose tip (30) lies inside the astronaut's face.
        double x = json.getAsJsonArray("points").get(30).getAsJsonArray().get(0).getAsDouble();
        double y = json.getAsJsonArray("points").get(30).getAsJsonArray().get(1).getAsDouble();
        assertTrue(x > 190 && x < 260 && y > 100 && y < 150, "nose tip at " + x + "," + y);
    }

    @Test
    void missingFileFailsWithOneClearLine() {
        Path missing = tmp.resolve("nope.png");
        int code = run("landmarks", missing.toString());
        assertEquals(FaceToonCli.EXIT_FAILURE, code);
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: cannot read image") && message.contains("nope.png"), message);
        assertEquals("", out.toString());
    }

    @Test
    void fileThatIsNotAnImageFailsWithOneClearLine() throws IOException {
        Path fake = tmp.resolve("notes.png");
        Files.writeString(fake, "not a picture");
        assertEquals(FaceToonCli.EXIT_FAILURE, run("landmarks", fake.toString()));
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("not an image"), message);
    }

    @Test
    void drawingOverTheInputIsRefused() throws IOException {
        Path input = astronaut();
        assertEquals(FaceToonCli.EXIT_USAGE, run("landmarks", input.toString(), "--draw", input.toString()));
        assertTrue(err.toString().contains("is the input image"), err.toString());
    }

    @Test
    void aDrawingIsWrittenAsAnImageReadableByOthersOrRefusedUpFront() throws IOException {
        Path input = astronaut();
        Path text = tmp.resolve("points.txt");
        assertEquals(FaceToonCli.EXIT_USAGE, run("landmarks", input.toString(), "--draw", text.toString()));
        assertTrue(err.toString().contains(".png, .jpg or .webp"), err.toString());
        assertEquals("", out.toString(), "nothing is printed before a usage error");
        assertTrue(!Files.exists(text));
        Path drawn = tmp.resolve("sub/drawn.jpg");
        assertEquals(0, run("landmarks", input.toString(), "--draw", drawn.toString()), err.toString());
        assertTrue(Files.size(drawn) > 1000);
        if (Files.getFileAttributeView(drawn, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(drawn)));
        }
        try (var files = Files.list(drawn.getParent())) {
            assertEquals(List.of("drawn.jpg"), files.map(p -> p.getFileName().toString()).toList(), "no temporary left");
        }
    }

    @Test
    void missingImageArgumentIsAUsageError() {
        assertEquals(FaceToonCli.EXIT_USAGE, run("landmarks"));
    }

    @Test
    void noFaceFailsWithExitCodeOne() throws IOException {
        Path grey = tmp.resolve("grey.png");
        org.opencv.core.Mat m = null;
        io.github.facetoon.engine.vision.OpenCvRuntime.ensureLoaded();
        m = new org.opencv.core.Mat(120, 160, org.opencv.core.CvType.CV_8UC3, new org.opencv.core.Scalar(128, 128, 128));
        org.opencv.imgcodecs.Imgcodecs.imwrite(grey.toString(), m);
        m.release();
        assertEquals(FaceToonCli.EXIT_FAILURE, run("landmarks", grey.toString()));
        assertEquals("error: no face found in " + grey, err.toString().trim());
    }
}
