package io.github.facetoon.engine.infer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Renders the classic filter on the astronaut portrait into {@code docs/images/} (for the README and for looking at)
 * and times it on a 4000×3000 photo. Slow: run with {@code -Pfull} or {@code -Dexcluded.groups=none}.
 */
@Tag("slow")
class ClassicFilterRenderTest {

    @Test
    void rendersTheAstronautAndTimesABigPhoto() throws IOException {
        OpenCvRuntime.ensureLoaded();
        Mat photo = load("/faces/astronaut.png");
        ClassicCartoonFilter filter = new ClassicCartoonFilter();
        filter.apply(photo).release();                                   // warm-up
        long t0 = System.nanoTime();
        Mat cartoon = filter.apply(photo);
        double ms = (System.nanoTime() - t0) / 1e6;
        Path out = Path.of("docs", "images", "classic-filter-astronaut.png");
        Files.createDirectories(out.getParent());
        assertTrue(Imgcodecs.imwrite(out.toString(), cartoon));

        Mat big = new Mat();
        Imgproc.resize(photo, big, new Size(4000, 3000), 0, 0, Imgproc.INTER_CUBIC);
        long t1 = System.nanoTime();
        Mat bigCartoon = filter.apply(big);
        double bigMs = (System.nanoTime() - t1) / 1e6;
        Mat mid = new Mat();
        Imgproc.resize(photo, mid, new Size(800, 600), 0, 0, Imgproc.INTER_CUBIC);
        long t2 = System.nanoTime();
        filter.apply(mid).release();
        double midMs = (System.nanoTime() - t2) / 1e6;
        mid.release();
        System.out.printf("classic filter: 512x512 %.0f ms, 800x600 %.0f ms, 4000x3000 %.0f ms%n", ms, midMs, bigMs);
        photo.release();
        cartoon.release();
        big.release();
        bigCartoon.release();
    }

    private static Mat load(String resource) throws IOException {
        try (InputStream in = ClassicFilterRenderTest.class.getResourceAsStream(resource)) {
            MatOfByte encoded = new MatOfByte(in.readAllBytes());
            Mat m = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
            encoded.release();
            return m;
        }
    }
}
