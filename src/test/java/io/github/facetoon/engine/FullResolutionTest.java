package io.github.facetoon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.bench.ProcessMemory;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Cartoons at the photo's own size, through the public engine API with the bundled model. */
class FullResolutionTest {

    @TempDir
    static Path dir;
    static StudioEngine engine;

    @BeforeAll
    static void setUp() {
        OpenCvRuntime.ensureLoaded();
        engine = StudioEngines.open(new Workspace(dir.resolve("ws")), "cpu");
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static Path jpeg(String name, int width, int height) {
        Mat small = SyntheticPhotos.photo(Math.max(width, height) / 10, new Random(11));
        Mat big = new Mat();
        Imgproc.resize(small, big, new Size(width, height), 0, 0, Imgproc.INTER_CUBIC);
        Path f = dir.resolve(name);
        Imgcodecs.imwrite(f.toString(), big, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        small.release();
        big.release();
        return f;
    }

    @Test
    void aSixThousandByFourThousandPhotoComesOutAtItsOwnSizeInBoundedMemory() throws Exception {
        Path photo = jpeg("big.jpg", 6000, 4000);
        engine.cartoonize(jpeg("warm.jpg", 600, 400), new ModelChoice.Bundled(), CartoonOptions.defaults());
        ProcessMemory.Sample before = ProcessMemory.settled();
        ProcessMemory.Peak peak = new ProcessMemory.Peak();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        CartoonResult r;
        try {
            r = engine.cartoonize(photo, new ModelChoice.Bundled(), CartoonOptions.defaults());
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        assertEquals(6000, r.cartoon().width());
        assertEquals(4000, r.cartoon().height());
        assertTrue(r.workingWidth() * (long) r.workingHeight() <= 4_000_000L, "worked at " + r.workingWidth());
        // Heap: the two 24-megapixel results (4 bytes a pixel each, 192 MB) plus working copies.
        long heapMb = (peak.heapBytes() - before.heapBytes()) >> 20;
        long rssMb = (peak.rssBytes() - before.rssBytes()) >> 20;
        System.out.printf("6000x4000: heap +%d MiB, RSS +%d MiB, %d ms%n", heapMb, rssMb, r.millis());
        assertTrue(heapMb < 1200, "heap grew by " + heapMb + " MiB");
        if (peak.rssBytes() > 0) {
            assertTrue(rssMb < 2000, "resident memory grew by " + rssMb + " MiB");
        }
    }

    @Test
    void theSamePhotoAtThreeTimesItsSizeGetsTheSameLook() throws Exception {
        Mat photo = Imgcodecs.imread(Path.of("assets/samples/astronaut.png").toAbsolutePath().toString());
        Mat big = new Mat();
        Imgproc.resize(photo, big, new Size(photo.cols() * 3, photo.rows() * 3), 0, 0, Imgproc.INTER_CUBIC);
        Path one = dir.resolve("one.png");
        Path three = dir.resolve("three.png");
        Imgcodecs.imwrite(one.toString(), photo);
        Imgcodecs.imwrite(three.toString(), big);
        CartoonResult r1 = engine.cartoonize(one, new ModelChoice.Bundled(), CartoonOptions.defaults());
        CartoonResult r3 = engine.cartoonize(three, new ModelChoice.Bundled(), CartoonOptions.defaults());
        assertEquals(3 * r1.cartoon().width(), r3.cartoon().width());
        Mat c1 = io.github.facetoon.engine.vision.ImageTensors.pixelsToBgr(r1.cartoon());
        Mat c3 = io.github.facetoon.engine.vision.ImageTensors.pixelsToBgr(r3.cartoon());
        Mat down = new Mat();
        Imgproc.resize(c3, down, new Size(c1.cols(), c1.rows()), 0, 0, Imgproc.INTER_AREA);
        Mat d = new Mat();
        org.opencv.core.Core.absdiff(c1, down, d);
        org.opencv.core.Scalar m = org.opencv.core.Core.mean(d);
        double mad = (m.val[0] + m.val[1] + m.val[2]) / 3 / 255;
        assertTrue(mad <= 0.03, "3x cartoon shrunk vs 1x cartoon: MAD " + mad);

        // The figures are per-pixel (5x5 and 9x9 windows), so both are measured at the 1x scale: the 3x cartoon and
        // the 3x photo shrunk back to it (the round trip itself softens the photo a little).
        Mat source = io.github.facetoon.engine.vision.ImageTensors.pixelsToBgr(r1.source());
        Mat bigSource = io.github.facetoon.engine.vision.ImageTensors.pixelsToBgr(r3.source());
        Mat sourceDown = new Mat();
        Imgproc.resize(bigSource, sourceDown, new Size(c1.cols(), c1.rows()), 0, 0, Imgproc.INTER_AREA);
        var e1 = io.github.facetoon.engine.eval.CartoonMetrics.score(source, c1);
        var e3 = io.github.facetoon.engine.eval.CartoonMetrics.score(sourceDown, down);
        System.out.println("1x: " + e1 + "\n3x shrunk: " + e3 + "\nMAD between " + mad);
        assertWithin(e1.mad(), e3.mad(), "MAD");
        assertWithin(e1.madWithoutCast(), e3.madWithoutCast(), "MAD without cast");
        assertWithin(e1.flatCartoon(), e3.flatCartoon(), "flat share");
        assertWithin(e1.texture(), e3.texture(), "texture");
        assertWithin(e1.inkCartoon(), e3.inkCartoon(), "ink share");
        assertWithin(e1.palette(), e3.palette(), "palette");
    }

    private static void assertWithin(double a, double b, String what) {
        assertTrue(Math.abs(a - b) <= 0.10 * Math.max(Math.abs(a), Math.abs(b)), what + ": " + a + " at 1x, " + b + " at 3x");
    }

    @Test
    void aCapShrinksTheCartoon() throws Exception {
        Path photo = jpeg("wide.jpg", 2000, 1000);
        CartoonResult r = engine.cartoonize(photo, new ModelChoice.Bundled(), new CartoonOptions(CartoonOptions.HD, 1));
        assertEquals(1440, r.cartoon().width());
        assertEquals(720, r.cartoon().height());
    }
}
