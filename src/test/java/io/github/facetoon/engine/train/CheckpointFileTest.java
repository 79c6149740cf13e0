package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    private Path written() throws Exception {
        JsonObject h = new JsonObject();
        h.addProperty("iteration", 42);
        Path p = dir.resolve("iter-00000042.ftc");
        new CheckpointFile(h, Map.of("a", new byte[] {1, 2, 3}, "b", new byte[1000])).write(p);
        return p;
    }

    @Test
    void roundTripKeepsHeaderAndSections() throws Exception {
        CheckpointFile back = CheckpointFile.read(written());
        assertEquals(42, back.header().get("iteration").getAsInt());
        assertArrayEquals(new byte[] {1, 2, 3}, back.section("a"));
        assertEquals(1000, back.section("b").length);
    }

    @Test
    void aFlippedByteIsReportedAsDamaged() throws Exception {
        Path p = written();
        byte[] b = Files.readAllBytes(p);
        b[40] ^= 1;
        Files.write(p, b);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(p));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(written());
        for (int len : new int[] {0, 5, 8, 20, b.length / 2, b.length - 1}) {
            Path t = dir.resolve("t" + len + ".ftc");
            Files.write(t, Arrays.copyOf(b, len));
            assertThrows(CheckpointException.class, () -> CheckpointFile.read(t), "length " + len);
        }
    }

    @Test
    void aForeignFileIsNotACheckpoint() throws Exception {
        Path p = dir.resolve("x.ftc");
        Files.writeString(p, "PK\u0003\u0004 this is a zip, not a checkpoint");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(p));
        assertTrue(e.getMessage().contains("not a FaceToon checkpoint"), e.getMessage());
    }

    @Test
    void aNewerFormatAsksForAnUpdate() throws Exception {
        Path p = written();
        byte[] b = Files.readAllBytes(p);
        ByteBuffer.wrap(b).putInt(8, CheckpointFile.FORMAT + 1);
        Files.write(p, b);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(p));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFile.read(dir.resolve("none.ftc")));
        assertTrue(e.getMessage().contains("no such checkpoint"), e.getMessage());
    }
}
