package io.github.facetoon.engine.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class VideoCartoonizerTest {

    private static Cartoonizer cartoonizer;
    private static LandmarkDetector landmarks;
    private static CartoonPipeline.WorkingModel model;
    private static Mat face;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        OpenCvRuntime.ensureLoaded();
        cartoonizer = Cartoonizer.bundled(Device.cpu());
        landmarks = LandmarkDetector.create();
        model = cartoonizer; // the bundled model is itself a working model
        Mat photo = Imgcodecs.imread(Path.of("assets/samples/astronaut.png").toString());
        face = new Mat();
        Imgproc.resize(photo, face, new Size(320, 320), 0, 0, Imgproc.INTER_AREA);
        photo.release();
    }

    @AfterAll
    static void close() {
        cartoonizer.close();
        face.release();
    }

    private VideoCartoonizer.Result cartoonize(Path in, Path out, VideoCartoonizer.ProgressListener l,
            java.util.function.BooleanSupplier cancel) throws IOException {
        return VideoCartoonizer.run(in, out, 0, 1.0, model, landmarks::detectAll, l, cancel);
    }

    private static int countFrames(Path video) throws IOException {
        int n = 0;
        try (VideoReader r = new VideoReader(video)) {
            for (VideoReader.Frame f = r.next(null); f != null; f = r.next(null)) {
                f.bgr().release();
                n++;
            }
        }
        return n;
    }

    @Test
    void theCartoonVideoHasTheFramesTimesAndSoundOfTheClip() throws IOException {
        Path sound = dir.resolve("tone.mka");
        TestClips.tone(sound, 1.2);
        Path clip = dir.resolve("clip.mp4");
        TestClips.write(clip, face, 12, 10, sound);
        VideoInfo in = VideoCartoonizer.probe(clip);
        assertEquals("aac", in.audioCodec());

        Path out = dir.resolve("clip_cartoon.mp4");
        List<VideoCartoonizer.Progress> seen = new ArrayList<>();
        VideoCartoonizer.Result r = cartoonize(clip, out, seen::add, () -> false);

        VideoInfo made = VideoCartoonizer.probe(out);
        assertEquals(320, made.width());
        assertEquals(320, made.height());
        assertEquals(10.0, made.framesPerSecond(), 0.01);
        assertEquals(12, countFrames(out));
        assertEquals("aac", made.audioCodec());
        assertTrue(r.audioCopied());
        assertEquals(in.durationSeconds(), made.durationSeconds(), 0.1);
        assertEquals(12, seen.size());
        assertEquals(12, seen.get(11).frames());
        assertFalse(Files.exists(dir.resolve(".clip_cartoon.mp4.part")));
        // The frames are cartoons of the clip, not copies: the model changed them.
        Mat a = VideoCartoonizer.frameAt(clip, 0.5);
        Mat b = VideoCartoonizer.frameAt(out, 0.5);
        Mat d = new Mat();
        org.opencv.core.Core.absdiff(a, b, d);
        double mad = org.opencv.core.Core.mean(d).val[0];
        assertTrue(mad > 2, "the cartoon differs from the clip: " + mad);
    }

    @Test
    void aStillSceneFilmedByHandDoesNotFlicker() throws IOException {
        Path clip = dir.resolve("still.mkv");
        TestClips.write(clip, face, 12, 12, null);
        Path out = dir.resolve("still_cartoon.mkv");
        cartoonize(clip, out, null, () -> false);
        double ratio = Flicker.ratio(clip, out);
        System.out.printf("flicker ratio (hand-held still, 320 px, bundled model): %.3f%n", ratio);
        assertTrue(ratio <= 1.2, "flicker " + ratio);
    }

    @Test
    void webmAndAnimatedGifAreWrittenInTheirOwnFormat() throws IOException {
        for (String ext : List.of("webm", "gif")) {
            Path clip = dir.resolve("c." + ext);
            Mat card = TestClips.card(96, 64);
            TestClips.write(clip, card, 6, 10, null);
            card.release();
            Path out = dir.resolve("c_cartoon." + ext);
            VideoCartoonizer.Result r = cartoonize(clip, out, null, () -> false);
            assertEquals(6, countFrames(out), ext);
            VideoInfo made = VideoCartoonizer.probe(out);
            assertEquals(96, made.width(), ext);
            assertEquals(64, made.height(), ext);
            assertFalse(r.cancelled());
        }
    }

    @Test
    void stoppingLeavesNoFileBehind() throws IOException {
        Path clip = dir.resolve("long.mp4");
        TestClips.write(clip, face, 10, 10, null);
        Path out = dir.resolve("long_cartoon.mp4");
        AtomicInteger frames = new AtomicInteger();
        VideoCartoonizer.Result r = cartoonize(clip, out, p -> frames.set((int) p.frames()), () -> frames.get() >= 3);
        assertTrue(r.cancelled());
        assertNull(r.output());
        assertEquals(3, r.frames());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("long.mp4"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFileThatIsNotAVideoGetsOneLineAndNothingIsWritten() throws IOException {
        Path fake = dir.resolve("holiday.mp4");
        Files.writeString(fake, "not a video at all");
        Path out = dir.resolve("holiday_cartoon.mp4");
        IOException e = assertThrows(IOException.class, () -> cartoonize(fake, out, null, () -> false));
        assertTrue(e.getMessage().startsWith("holiday.mp4 is not a video FaceToon can read"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(out));

        Path clip = dir.resolve("ok.mp4");
        TestClips.write(clip, face, 4, 10, null);
        byte[] bytes = Files.readAllBytes(clip);
        Path cut = dir.resolve("cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        IOException e2 = assertThrows(IOException.class, () -> cartoonize(cut, dir.resolve("cut_cartoon.mp4"), null,
                () -> false));
        assertFalse(e2.getMessage().contains("\n"));
        assertFalse(Files.exists(dir.resolve("cut_cartoon.mp4")));
        assertFalse(Files.exists(dir.resolve(".cut_cartoon.mp4.part")));
    }

    @Test
    void anExistingTargetIsNeverOverwritten() throws IOException {
        Path clip = dir.resolve("a.mp4");
        TestClips.write(clip, face, 3, 10, null);
        Path out = dir.resolve("a_cartoon.mp4");
        Files.writeString(out, "mine");
        assertThrows(IOException.class, () -> cartoonize(clip, out, null, () -> false));
        assertEquals("mine", Files.readString(out));
    }

    @Test
    void theSizeOptionCapsTheFramesAtAnEvenSize() {
        assertEquals(List.of(1280, 720), toList(VideoCartoonizer.outputSize(1920, 1080, 720)));
        assertEquals(List.of(1920, 1080), toList(VideoCartoonizer.outputSize(1920, 1080, 0)));
        assertEquals(List.of(405, 719), toList(VideoCartoonizer.outputSize(405, 719, 0)));
        assertEquals(List.of(720, 1280), toList(VideoCartoonizer.outputSize(1081, 1921, 720)));
    }

    private static List<Integer> toList(int[] a) {
        return List.of(a[0], a[1]);
    }
}
