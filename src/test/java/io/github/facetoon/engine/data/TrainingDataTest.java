package io.github.facetoon.engine.data;

import static io.github.facetoon.engine.data.HostileCorpus.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.data.TrainingData.Batch;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

/** Loading survives the hostile corpus; batches are deterministic in (seed, iteration); threads stop on close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrainingDataTest {

    private static final int SIZE = 32;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    /** Records what the loader reports. */
    private static final class Recorder implements TrainingData.Listener {
        final List<FileProblem> skipped = new ArrayList<>();
        int lastDone;
        int lastTotal;

        @Override
        public void skipped(FileProblem problem) {
            skipped.add(problem);
        }

        @Override
        public void loaded(int done, int total) {
            lastDone = done;
            lastTotal = total;
        }
    }

    private Path goodFolder(String name, int count) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < count; i++) {
            write(folder, "img" + i + ".png", HostileCorpus.png(HostileCorpus.pattern(64 + 8 * i, 48, i + 1)));
        }
        return folder;
    }

    private TrainingData.Builder builder(Path photos, Path cartoons, long seed) {
        return TrainingData.builder().setPhotos(photos).optCartoons(cartoons).setImageSize(SIZE).setBatchSize(4)
                .optSeed(seed).optThreads(2);
    }

    private static void assertSameBatch(Batch a, Batch b) {
        assertEquals(a.iteration(), b.iteration());
        assertTrue(Arrays.deepEquals(a.photos(), b.photos()), "photos differ");
        assertTrue(Arrays.deepEquals(a.cartoons(), b.cartoons()), "cartoons differ");
        assertEquals(a.photoFiles(), b.photoFiles());
        assertEquals(a.cartoonFiles(), b.cartoonFiles());
    }

    @Test
    void hostileFolderLoadsTheGoodImagesAndReportsEachBadOneOnce() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Mat big = HostileCorpus.halves(64, 48);
        Map<String, byte[]> good = new HashMap<>();
        good.put("plain.png", HostileCorpus.png(big));
        good.put("png named as.jpg", HostileCorpus.png(big));
        good.put("deep.png", HostileCorpus.png(new Mat(48, 48, CvType.CV_16UC3, new Scalar(1000, 20000, 60000))));
        good.put("grey.png", HostileCorpus.png(new Mat(48, 48, CvType.CV_8UC1, new Scalar(99))));
        good.put("alpha.png", HostileCorpus.png(new Mat(48, 48, CvType.CV_8UC4, new Scalar(0, 0, 255, 128))));
        good.put("cmyk.jpg", HostileCorpus.cmykJpegRed(48, 48));
        good.put("progressive.jpg", HostileCorpus.progressiveJpeg(64, 48));
        good.put("rotated.jpg", HostileCorpus.withExifOrientation(HostileCorpus.jpeg(big), 6));
        good.put("photo.webp", HostileCorpus.encode(".webp", big));
        good.put("scan.tif", HostileCorpus.encode(".tif", big));
        good.put("paint.bmp", HostileCorpus.encode(".bmp", big));
        good.put("été à la plage 1.png", HostileCorpus.png(big));
        Map<String, String> bad = new HashMap<>();
        bad.put("empty.jpg", "empty file (0 bytes)");
        byte[] jpg = HostileCorpus.jpeg(HostileCorpus.pattern(64, 64, 1));
        bad.put("truncated.jpg", "truncated JPEG data");
        byte[] png = HostileCorpus.png(HostileCorpus.pattern(64, 64, 1));
        bad.put("truncated.png", "truncated PNG data");
        bad.put("noise.png", "unknown or unsupported image format");
        bad.put("letter.jpg", "not an image (the file contains text)");
        bad.put("vector.png", "vector images are not supported; export it as PNG");
        bad.put("bomb.png", "100000×100000 pixels is over the 100-megapixel limit");
        bad.put("dot.png", "1×1 pixels is too small for training (short side under 32)");
        bad.put("panorama.png", "20000×10 pixels is too small for training (short side under 32)");
        for (Map.Entry<String, byte[]> e : good.entrySet()) {
            write(photos, e.getKey(), e.getValue());
        }
        write(photos, "empty.jpg", new byte[0]);
        write(photos, "truncated.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        write(photos, "truncated.png", Arrays.copyOf(png, png.length / 2));
        write(photos, "noise.png", HostileCorpus.randomBytes(2048, 3));
        write(photos, "letter.jpg", "Hello!\n".getBytes(StandardCharsets.UTF_8));
        write(photos, "vector.png", HostileCorpus.svg());
        write(photos, "bomb.png", HostileCorpus.pngBomb(100_000, 100_000));
        write(photos, "dot.png", HostileCorpus.png(new Mat(1, 1, CvType.CV_8UC3, new Scalar(1, 2, 3))));
        write(photos, "panorama.png", HostileCorpus.png(HostileCorpus.halves(20_000, 10)));
        Files.createSymbolicLink(photos.resolve("loop"), photos);
        Path cartoons = goodFolder("cartoons", 3);
        write(cartoons, "broken.webp", Arrays.copyOf(HostileCorpus.encode(".webp", big), 40));

        Recorder recorder = new Recorder();
        try (TrainingData data = builder(photos, cartoons, 1).optListener(recorder).build()) {
            Map<String, String> reported = new HashMap<>();
            for (FileProblem p : recorder.skipped) {
                assertEquals(null, reported.put(p.file().getFileName().toString(), p.reason()), "reported once: " + p);
            }
            Map<String, String> expected = new HashMap<>(bad);
            expected.put("loop", "symbolic link loop, not followed");
            expected.put("broken.webp", "truncated WebP data");
            assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(reported.keySet()));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertTrue(reported.get(e.getKey()).contains(e.getValue()), e.getKey() + ": " + reported.get(e.getKey()));
            }
            assertEquals(recorder.skipped, data.skipped());
            assertEquals(good.size() + bad.size() + 4, recorder.lastTotal);
            assertEquals(recorder.lastTotal, recorder.lastDone);
            Set<String> usable = new TreeSet<>();
            data.photoFiles().forEach(p -> usable.add(p.getFileName().toString()));
            assertEquals(new TreeSet<>(good.keySet()), usable);
            assertEquals(3, data.cartoonFiles().size());

            Batch batch = data.next(1);
            assertEquals(4, batch.photos().length);
            assertEquals(4, batch.cartoons().length);
            for (float[] image : batch.photos()) {
                assertEquals(3 * SIZE * SIZE, image.length);
                for (float v : image) {
                    assertTrue(v >= -1f && v <= 1f, "in [-1,1]: " + v);
                }
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalBatchesAndResumingMatchesAnUninterruptedRun() throws IOException {
        Path photos = goodFolder("photos", 5);
        Path cartoons = goodFolder("cartoons", 4);
        try (TrainingData uninterrupted = builder(photos, cartoons, 1234).build();
             TrainingData twin = builder(photos, cartoons, 1234).build();
             TrainingData resumed = builder(photos, cartoons, 1234).build();
             TrainingData other = builder(photos, cartoons, 99).build()) {
            Batch seven = null;
            for (int it = 1; it <= 7; it++) {
                seven = uninterrupted.next(it);
            }
            Batch twinSeven = null;
            for (int it = 1; it <= 7; it++) {
                twinSeven = twin.next(it);
            }
            assertSameBatch(seven, twinSeven);
            assertSameBatch(seven, resumed.next(7));
            assertSameBatch(seven, uninterrupted.batch(7));
            assertFalse(Arrays.deepEquals(seven.photos(), other.next(7).photos()), "another seed, other batches");
            assertFalse(Arrays.deepEquals(seven.photos(), uninterrupted.next(8).photos()), "another iteration, another batch");
        }
    }

    @Test
    void outOfOrderRequestsStillGiveEachIterationsBatch() throws IOException {
        Path photos = goodFolder("photos", 3);
        try (TrainingData data = builder(photos, null, 5).optPrefetch(3).build()) {
            for (int it : new int[] {5, 3, 100, 101, 4, 4}) {
                assertSameBatch(data.batch(it), data.next(it));
            }
            assertEquals(6, data.waitStats().batches());
        }
    }

    @Test
    void withoutPrefetchBatchesAreTheSame() throws IOException {
        Path photos = goodFolder("photos", 3);
        try (TrainingData prefetched = builder(photos, null, 5).build();
             TrainingData direct = builder(photos, null, 5).optPrefetch(0).build()) {
            assertSameBatch(prefetched.next(2), direct.next(2));
        }
    }

    @Test
    void pretrainingDataHasNoCartoons() throws IOException {
        try (TrainingData data = builder(goodFolder("photos", 2), null, 1).build()) {
            Batch batch = data.next(0);
            assertEquals(0, batch.cartoons().length);
            assertEquals(List.of(), data.cartoonFiles());
            assertThrows(IllegalStateException.class, () -> batch.cartoonArray(null));
        }
    }

    @Test
    void closeStopsThePrefetchThreadAndLaterCallsFail() throws IOException {
        TrainingData data = builder(goodFolder("photos", 2), null, 1).build();
        data.next(1);
        assertTrue(data.prefetchThreadAlive());
        data.close();
        assertFalse(data.prefetchThreadAlive());
        assertThrows(IllegalStateException.class, () -> data.next(2));
        data.close(); // twice is fine
    }

    @Test
    void waitTimeIsMeasured() throws IOException {
        try (TrainingData data = builder(goodFolder("photos", 2), null, 1).build()) {
            for (int it = 0; it < 5; it++) {
                data.next(it);
            }
            TrainingData.WaitStats stats = data.waitStats();
            assertEquals(5, stats.batches());
            assertTrue(stats.totalWaitNanos() > 0 && stats.maxWaitNanos() <= stats.totalWaitNanos());
            assertTrue(stats.meanWaitMillis() >= 0);
        }
    }

    @Test
    void emptyFolderIsAClearError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("nothing here"));
        IOException e = assertThrows(IOException.class, () -> builder(empty, null, 1).build());
        assertTrue(e.getMessage().startsWith(empty + ": no photos found"), e.getMessage());
    }

    @Test
    void folderOfUnusableFilesIsAClearError() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        write(photos, "a.jpg", new byte[0]);
        write(photos, "b.png", HostileCorpus.svg());
        Path cartoons = goodFolder("cartoons", 1);
        IOException e = assertThrows(IOException.class, () -> builder(photos, cartoons, 1).build());
        assertEquals(photos + ": none of the 2 photos could be used (first problem: a.jpg: empty file (0 bytes))",
                e.getMessage());
    }

    @Test
    void unusableCartoonFolderIsAClearError() throws IOException {
        Path photos = goodFolder("photos", 1);
        Path cartoons = Files.createDirectories(dir.resolve("cartoons"));
        write(cartoons, "c.png", HostileCorpus.randomBytes(100, 1));
        IOException e = assertThrows(IOException.class, () -> builder(photos, cartoons, 1).build());
        assertTrue(e.getMessage().startsWith(cartoons + ": none of the 1 cartoons could be used"), e.getMessage());
    }

    @Test
    void loadingStopsWithAClearErrorWhenTheImagesDoNotFitTheMemoryBudget() throws IOException {
        Path photos = goodFolder("photos", 4);
        // Each photo is stored at 35 px short side: about 35·46·3 bytes; 6000 bytes hold one, not four.
        IOException e = assertThrows(IOException.class, () -> builder(photos, null, 1).optMemoryBudget(6_000).build());
        assertTrue(e.getMessage().startsWith("the training images need more than 6 KiB of memory"), e.getMessage());
    }

    @Test
    void faceCropCutsASquareAroundTheFace() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Mat photo = new Mat(96, 128, CvType.CV_8UC3, new Scalar(0, 0, 0));
        Rect face = new Rect(80, 10, 40, 40);
        photo.submat(face).setTo(new Scalar(0, 255, 0));
        write(photos, "face.png", HostileCorpus.png(photo));
        List<Mat> seen = new ArrayList<>();
        try (TrainingData data = builder(photos, null, 1).optCropMargin(0).optFaceCrop(m -> {
            seen.add(m);
            return face;
        }, 0).build()) {
            assertEquals(1, seen.size(), "the detector runs once per photo");
            float[] image = data.next(0).photos()[0];
            int plane = SIZE * SIZE;
            for (int i = 0; i < plane; i++) {
                assertEquals(-1f, image[i], 0.05f, "no red");
                assertEquals(1f, image[plane + i], 0.05f, "all green: only the face is left");
            }
        }
    }

    @Test
    void photosWithoutAFaceAreKeptOrSkippedAsAsked() throws IOException {
        Path photos = goodFolder("photos", 2);
        try (TrainingData kept = builder(photos, null, 1).optFaceCrop(m -> null, 0.3).build()) {
            assertEquals(2, kept.photoFiles().size());
        }
        Recorder recorder = new Recorder();
        IOException e = assertThrows(IOException.class, () -> builder(photos, null, 1).optFaceCrop(m -> null, 0.3)
                .optRequireFace(true).optListener(recorder).build());
        assertTrue(e.getMessage().contains("img0.png: no face found"), e.getMessage());
        assertEquals(2, recorder.skipped.size());
    }

    @Test
    void aFaceShareGivesTheFacePhotosThatShareOfEveryBatchAndStaysReproducible() throws IOException {
        Path photos = goodFolder("photos", 10);
        // Only img0 (64 px wide) has a face: a tenth of the photos.
        java.util.function.Function<Mat, Rect> detector = m -> m.cols() == 64 ? new Rect(0, 0, 48, 48) : null;
        Path face = photos.resolve("img0.png");
        try (TrainingData even = builder(photos, null, 3).optFaceCrop(detector, 0).build();
             TrainingData half = builder(photos, null, 3).optFaceCrop(detector, 0).optFaceShare(0.5).build()) {
            int evenFaces = 0;
            int halfFaces = 0;
            int draws = 0;
            for (int it = 0; it < 200; it++) {
                evenFaces += java.util.Collections.frequency(even.next(it).photoFiles(), face);
                Batch b = half.next(it);
                halfFaces += java.util.Collections.frequency(b.photoFiles(), face);
                draws += b.photoFiles().size();
                if (it % 50 == 0) {
                    assertSameBatch(b, half.batch(it));
                }
            }
            double evenShare = evenFaces / (double) draws;
            double halfShare = halfFaces / (double) draws;
            assertTrue(evenShare > 0.05 && evenShare < 0.15, "evenly drawn, the face is a tenth: " + evenShare);
            assertTrue(halfShare > 0.42 && halfShare < 0.58, "with a share of 0.5, half: " + halfShare);
        }
        assertThrows(IllegalArgumentException.class, () -> builder(photos, null, 1).optFaceShare(1.5).build());
    }

    @Test
    void aFailingFaceDetectorSkipsThePhotoWithAReason() throws IOException {
        Path photos = goodFolder("photos", 1);
        IOException e = assertThrows(IOException.class, () -> builder(photos, null, 1).optFaceCrop(m -> {
            throw new IllegalStateException("model missing");
        }, 0.3).build());
        assertTrue(e.getMessage().contains("img0.png: face detection failed (model missing)"), e.getMessage());
    }

    @Test
    void squareAroundAFaceStaysInsideThePhoto() {
        assertEquals(new Rect(60, 0, 60, 60), CorpusLoader.squareAround(new Rect(80, 10, 40, 40), 120, 100, 0.25));
        assertEquals(new Rect(15, 0, 50, 50), CorpusLoader.squareAround(new Rect(-10, -10, 200, 200), 80, 50, 0.3));
        assertEquals(null, CorpusLoader.squareAround(new Rect(500, 500, 10, 10), 80, 50, 0.3));
    }

    @Test
    void seedMixingSeparatesNeighbours() {
        assertNotEquals(BatchSampler.mix(1, 7), BatchSampler.mix(1, 8));
        assertNotEquals(BatchSampler.mix(1, 7), BatchSampler.mix(2, 7));
        assertEquals(BatchSampler.mix(3, 7), BatchSampler.mix(3, 7));
    }

    @Test
    void batchesUseTheCropAndFlipSettings() throws IOException {
        Path photos = goodFolder("photos", 1);
        try (TrainingData centre = builder(photos, null, 1).optRandomCrop(false).optFlip(false).build()) {
            Batch a = centre.next(1);
            Batch b = centre.next(2);
            assertArrayEquals(a.photos()[0], b.photos()[0], "one photo, centre crop, no flip: always the same");
        }
    }
}
