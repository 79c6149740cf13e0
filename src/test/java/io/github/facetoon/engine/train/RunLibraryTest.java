package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLibraryTest {

    @TempDir
    Path dir;

    private Path checkpoint(String run, int iteration, int bytes) throws IOException {
        Path p = new CheckpointStore(dir.resolve("runs").resolve(run), 5, 0).pathFor(iteration);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[bytes]);
        return p;
    }

    private TrainingConfig config(String run) {
        return TrainingConfig.builder(TrainingConfig.Phase.TRAIN, dir.resolve("photos"), dir.resolve("cartoons"), dir)
                .modelVersion(run).build();
    }

    @Test
    void listsEachRunWithItsCheckpointsAndSize() throws IOException {
        checkpoint("a", 0, 100);
        checkpoint("a", 50, 300);
        Files.writeString(dir.resolve("runs/a/test-a-50.png"), "xx");
        checkpoint("b", 10, 7);
        RunLibrary lib = new RunLibrary(new Workspace(dir), n -> false);
        List<RunLibrary.RunSummary> runs = lib.list();
        assertEquals(2, runs.size());
        RunLibrary.RunSummary a = lib.find("a").orElseThrow();
        assertEquals(2, a.checkpoints());
        assertEquals(50, a.newestIteration());
        assertEquals(402, a.bytes());
        assertTrue(lib.find("missing").isEmpty());
    }

    @Test
    void aFreeNameCountsOnFromATakenOne() throws IOException {
        RunLibrary lib = new RunLibrary(new Workspace(dir), n -> false);
        assertEquals("1", lib.freeName("1"), "a name without checkpoints is free");
        checkpoint("1", 5, 1);
        assertEquals("1-2", lib.freeName("1"));
        checkpoint("1-2", 5, 1);
        Files.createDirectories(dir.resolve("runs/1-3"));
        assertEquals("1-4", lib.freeName("1"), "a folder that exists is never offered");
        assertEquals("1-4", lib.freeName("1-2"));
        String longName = "x".repeat(64);
        checkpoint(longName, 1, 1);
        String free = lib.freeName(longName);
        assertTrue(free.length() <= 64 && free.endsWith("-2"), free);
    }

    @Test
    void aFreshRunIsRefusedWhereCheckpointsAreButAResumeIsNot() throws IOException {
        checkpoint("run", 0, 1);
        checkpoint("run", 150, 1);
        RunExistsException e = assertThrows(RunExistsException.class, () -> RunLibrary.refuseOverwrite(config("run")));
        assertEquals(150, e.newestIteration());
        assertEquals("run-2", e.freeName());
        assertTrue(e.getMessage().contains("resume"), e.getMessage());
        RunLibrary.refuseOverwrite(config("run").toBuilder().resume(true).build());
        RunLibrary.refuseOverwrite(config("other"));
    }

    @Test
    void aTrashedRunComesBackWithAllItsFiles() throws IOException {
        Path ckpt = checkpoint("keep", 20, 1234);
        RunLibrary lib = new RunLibrary(new Workspace(dir), n -> false);
        RunLibrary.TrashedRun t = lib.moveToTrash("keep");
        assertFalse(Files.exists(dir.resolve("runs/keep")));
        assertEquals("keep", t.name());
        assertEquals(1, t.checkpoints());
        assertEquals(20, t.newestIteration());
        assertEquals(List.of(t), lib.trash());
        assertEquals(1234, Files.size(t.folder().resolve(ckpt.getFileName())));
        assertEquals("keep", lib.restore(t));
        assertEquals(1234, Files.size(ckpt));
        assertTrue(lib.trash().isEmpty());
    }

    @Test
    void aRestoreNeverOverwritesARunThatTookTheName() throws IOException {
        checkpoint("r", 1, 10);
        RunLibrary lib = new RunLibrary(new Workspace(dir), n -> false);
        RunLibrary.TrashedRun old = lib.moveToTrash("r");
        checkpoint("r", 2, 20);
        assertEquals("r-2", lib.restore(old));
        assertEquals(10, Files.size(dir.resolve("runs/r-2/iter-00000001.ftc")));
        assertEquals(20, Files.size(dir.resolve("runs/r/iter-00000002.ftc")));
    }

    @Test
    void aTrainingRunStaysAndTheTrashCanBeEmptied() throws IOException {
        checkpoint("busy", 1, 1);
        checkpoint("done", 1, 1);
        RunLibrary lib = new RunLibrary(new Workspace(dir), "busy"::equals);
        assertThrows(IllegalStateException.class, () -> lib.moveToTrash("busy"));
        assertTrue(Files.exists(dir.resolve("runs/busy/iter-00000001.ftc")));
        assertThrows(IOException.class, () -> lib.moveToTrash("nothing"));
        RunLibrary.TrashedRun t = lib.moveToTrash("done");
        lib.delete(t);
        assertFalse(Files.exists(t.folder()));
        assertTrue(lib.trash().isEmpty());
    }
}
