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
    void aCapShrinksTheCartoon() throws Exception {
        Path photo = jpeg("wide.jpg", 2000, 1000);
        CartoonResult r = engine.cartoonize(photo, new ModelChoice.Bundled(), new CartoonOptions(CartoonOptions.HD, 1));
        assertEquals(1440, r.cartoon().width());
        assertEquals(720, r.cartoon().height());
    }
}
