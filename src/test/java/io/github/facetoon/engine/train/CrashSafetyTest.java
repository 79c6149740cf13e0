package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work survives crashes and full disks: kill -9 at random moments, and saving onto a full file system. */
class CrashSafetyTest {

    @TempDir
    Path dir;

    private Process startPretrain(Path photos, Path ws, int total, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "io.github.facetoon.Main", "pretrain", "--photos", photos.toString(), "--total_iter", String.valueOf(total),
                "--batch_size", "2", "--image_size", "32", "--save_every", "1", "--device", "cpu",
                "--workspace", ws.toString()));
        if (resume) {
            cmd.add("--resume");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    @Test
    void killNineAtRandomMomentsNeverLosesTheNewestCompleteCheckpoint() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 40, 9);
        Path ws = dir.resolve("ws");
        CheckpointStore store = new CheckpointStore(ws.resolve("runs/pre"), 5, 0);
        Random random = new Random(7);
        int total = 400;
        int lastSeen = 0;
        for (int round = 0; round < 6; round++) {
            Process p = startPretrain(photos, ws, total, round > 0);
            // Let it load (a few seconds) and then train for a random while; saves happen every step.
            long deadline = System.currentTimeMillis() + 60_000;
            while (store.list().isEmpty() && p.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(random.nextInt(1500));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<Path> all = store.list();
            assertFalse(all.isEmpty(), "round " + round + ": a checkpoint exists; log: " + log());
            // The newest complete checkpoint always loads.
            CheckpointFile newest = CheckpointFile.read(all.get(0));
            int it = newest.header().get("iteration").getAsInt();
            assertTrue(it >= lastSeen, "progress is never lost: " + it + " after " + lastSeen);
            lastSeen = it;
            assertTrue(countTemp(store.folder()) <= 1, "at most the one temp file of the interrupted save");
        }
        // A last resume runs to the end and cleans up.
        Process p = startPretrain(photos, ws, lastSeen + 3, true);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), log());
        assertEquals(0, p.exitValue(), log());
        assertEquals(lastSeen + 3, CheckpointStore.iterationOf(store.list().get(0)).orElseThrow());
        assertEquals(0, countTemp(store.folder()), "no temp files pile up");
    }

    @Test
    void aFullDiskFailsTheSaveCleanlyAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path ws = dir.resolve("small");
        Files.createDirectories(ws);
        // A pretraining checkpoint at 32 px is about 18 MB: 45 MB hold two (the starting point and iteration 1),
        // not a third beside them.
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=45m", "tmpfs", ws.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "needs permission to mount a small tmpfs");
        try (StudioEngine engine = StudioEngines.open(new Workspace(ws), "cpu")) {
            Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 40, 9);
            TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.PRETRAIN, photos, null, ws)
                    .totalIter(4).batchSize(2).imageSize(32).saveEvery(1).device("cpu").build();
            TrainingEvent end = engine.startTraining(c, e -> { }).completion().get(120, TimeUnit.SECONDS);
            assertInstanceOf(TrainingEvent.RunFailed.class, end);
            assertTrue(((TrainingEvent.RunFailed) end).message().contains("disk is full"), end.toString());
            CheckpointStore store = new CheckpointStore(ws.resolve("runs/pre"), 5, 0);
            assertEquals(1, CheckpointFile.read(store.list().get(0)).header().get("iteration").getAsInt());
            assertEquals(2, store.list().size());
            assertEquals(0, countTemp(store.folder()));
        } finally {
            new ProcessBuilder("umount", ws.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    private static long countTemp(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(CheckpointFile.TEMP_PREFIX)).count();
        }
    }
}
