package io.github.facetoon.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** Writes are atomic, never touch the inputs, and output names stay inside their folder. */
class ImageWriterTest {

    @TempDir
    Path dir;

    private final ImageWriter writer = new ImageWriter();
    private final ImageReader reader = new ImageReader();

    @BeforeAll
    static void loadOpenCv() {
        OpenCvRuntime.ensureLoaded();
    }

    /** A sink that writes half the bytes, then fails like a full disk. */
    private static final ImageWriter.ByteSink HALF_THEN_FAIL = (temp, bytes) -> {
        Files.write(temp, Arrays.copyOf(bytes, bytes.length / 2));
        throw new IOException("No space left on device");
    };

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void pngJpegAndWebpRoundTrip() throws IOException {
        Mat img = HostileCorpus.halves(20, 10);
        for (String name : List.of("out.png", "out.jpg", "out.JPEG", "out.webp")) {
            Path target = dir.resolve(name);
            writer.write(img, target);
            Mat back = reader.read(target);
            assertEquals(20, back.cols(), name);
            assertEquals(255, back.get(5, 2)[2], 40, name);
        }
        assertEquals(List.of("out.JPEG", "out.jpg", "out.png", "out.webp"), listing(), "no temporary files left");
    }

    @Test
    void failedWriteLeavesNoFileBehind() throws IOException {
        ImageWriter failing = new ImageWriter(95, 95, HALF_THEN_FAIL);
        IOException e = assertThrows(IOException.class, () -> failing.write(HostileCorpus.halves(20, 10), dir.resolve("out.png")));
        assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void failedReplaceKeepsTheOldFileIntact() throws IOException {
        Path target = dir.resolve("out.png");
        writer.write(HostileCorpus.halves(20, 10), target);
        byte[] before = Files.readAllBytes(target);
        ImageWriter failing = new ImageWriter(95, 95, HALF_THEN_FAIL);
        assertThrows(IOException.class, () -> failing.write(HostileCorpus.pattern(30, 30, 2), target));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("out.png"), listing());
    }

    @Test
    void failedNoClobberWriteLeavesNoFileBehind() throws IOException {
        ImageWriter failing = new ImageWriter(95, 95, HALF_THEN_FAIL);
        assertThrows(IOException.class, () -> failing.writeNew(HostileCorpus.halves(20, 10), dir, "cartoon.png"));
        assertEquals(List.of(), listing());
    }

    @Test
    void unencodableImageLeavesNoFileBehind() {
        IOException e = assertThrows(IOException.class, () -> writer.write(new Mat(), dir.resolve("out.png")));
        assertTrue(e.getMessage().startsWith("out.png: nothing to write"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out.png")));
    }

    @Test
    void unsupportedExtensionIsRefused() {
        IOException e = assertThrows(IOException.class, () -> writer.write(HostileCorpus.halves(4, 4), dir.resolve("out.gif")));
        assertEquals("out.gif: can only write .png, .jpg, .jpeg or .webp files", e.getMessage());
    }

    @Test
    void refusesToOverwriteAnInput() throws IOException {
        Path input = HostileCorpus.write(dir, "photo.png", HostileCorpus.png(HostileCorpus.halves(8, 8)));
        byte[] before = Files.readAllBytes(input);
        Path sameFileOtherSpelling = dir.resolve("sub/../photo.png");
        Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class,
                () -> writer.write(HostileCorpus.pattern(8, 8, 1), sameFileOtherSpelling, List.of(input)));
        assertEquals("photo.png: is one of the input images; refusing to overwrite it", e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), input);
        assertThrows(IOException.class, () -> writer.write(HostileCorpus.pattern(8, 8, 1), link, List.of(input)));
        assertArrayEquals(before, Files.readAllBytes(input));
    }

    @Test
    void writeNewNeverReplacesAnExistingFile() throws IOException {
        Path first = writer.writeNew(HostileCorpus.halves(8, 8), dir, "cartoon.png");
        Path second = writer.writeNew(HostileCorpus.halves(8, 8), dir, "cartoon.png");
        Path third = writer.writeNew(HostileCorpus.halves(8, 8), dir, "cartoon.png");
        assertEquals(dir.resolve("cartoon.png").toAbsolutePath(), first);
        assertEquals("cartoon-1.png", second.getFileName().toString());
        assertEquals("cartoon-2.png", third.getFileName().toString());
        assertEquals(List.of("cartoon-1.png", "cartoon-2.png", "cartoon.png"), listing());
    }

    @Test
    void uniqueNameSkipsTakenNames() throws IOException {
        Files.createFile(dir.resolve("a.png"));
        Files.createFile(dir.resolve("a-1.png"));
        assertEquals("a-2.png", ImageWriter.uniqueName(dir, "a.png").getFileName().toString());
        assertEquals("b.png", ImageWriter.uniqueName(dir, "b.png").getFileName().toString());
    }

    @Test
    void namesThatLeaveTheFolderAreRefused() throws IOException {
        for (String bad : List.of("../x.png", "a/../../x.png", "/etc/x.png", "C:/x.png", "..\\x.png", "", " ", "a\0b.png", ".")) {
            assertThrows(IllegalArgumentException.class, () -> ImageWriter.resolveInside(dir, bad), "'" + bad + "'");
        }
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("escape"), outside);
        assertThrows(IllegalArgumentException.class, () -> ImageWriter.resolveInside(out, "escape/x.png"));
    }

    @Test
    void namesInsideTheFolderAreAccepted() {
        Path out = dir.resolve("out");
        assertEquals(out.toAbsolutePath().resolve("été 1.png"), ImageWriter.resolveInside(out, "été 1.png"));
        assertEquals(out.toAbsolutePath().resolve("faces/a.png"), ImageWriter.resolveInside(out, "faces/./a.png"));
    }
}
