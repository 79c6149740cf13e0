package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.ResumeOverrides;
import io.github.facetoon.config.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunnerTest {

    @TempDir
    Path dir;

    private TrainingConfig config(int total, int saveEvery) {
        return TrainingConfig.builder(TrainingConfig.Phase.TRAIN, dir.resolve("photos"), dir.resolve("cartoons"),
                dir.resolve("ws")).totalIter(total).saveEvery(saveEvery).modelVersion("t").build();
    }

    private static TrainingEvent run(TrainingRunner r) throws Exception {
        return r.start().completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWeightChangedDuringARunIsUsedFromTheNextStep() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingRunner runner = new TrainingRunner(config(6, 100), () -> loop, events::add);
        // The change is made by "another thread" in the middle of step 3.
        loop.onStep = () -> {
            if (loop.iterations.size() == 2) {
                runner.weights().set(LossTerm.TV, 123.0);
            }
        };
        TrainingEvent end = run(runner);
        assertInstanceOf(TrainingEvent.RunFinished.class, end);
        assertEquals(LossWeights.defaults().tv(), loop.weightsSeen.get(2).tv(), "step 3 started before the change");
        assertEquals(123.0, loop.weightsSeen.get(3).tv(), "step 4 uses the new weight");
        var changed = events.stream().filter(e -> e instanceof TrainingEvent.WeightsChanged).toList();
        assertEquals(1, changed.size());
        assertEquals(4, changed.get(0).iteration(), "the chart marks the step where it changed");
    }

    @Test
    void checkpointsAreSavedEverySaveIntervalAndAtTheEnd() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        TrainingEvent end = run(new TrainingRunner(config(7, 3), () -> loop, e -> { }));
        CheckpointStore store = new CheckpointStore(dir.resolve("ws/runs/t"), 5, 0);
        assertEquals(List.of(7, 6, 3, 0), store.list().stream().map(p -> CheckpointStore.iterationOf(p).get()).toList());
        assertEquals(store.pathFor(7), ((TrainingEvent.RunFinished) end).lastCheckpoint());
        assertEquals(0, countTemp(store.folder()));
    }

    @Test
    void resumeContinuesFromTheNewestGoodCheckpointSkippingADamagedOne() throws Exception {
        ScriptedLoop full = new ScriptedLoop();
        run(new TrainingRunner(config(9, 3).toBuilder().modelVersion("reference").build(), () -> full, e -> { }));
        ScriptedLoop first = new ScriptedLoop();
        run(new TrainingRunner(config(6, 3), () -> first, e -> { }));
        // damage the newest checkpoint (iteration 6): resume must fall back to 3
        CheckpointStore store = new CheckpointStore(dir.resolve("ws/runs/t"), 5, 0);
        byte[] b = Files.readAllBytes(store.pathFor(6));
        b[b.length / 2] ^= 0x55;
        Files.write(store.pathFor(6), b);
        ScriptedLoop resumed = new ScriptedLoop();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        run(new TrainingRunner(config(9, 3).toBuilder().resume(true).build(), () -> resumed, events::add));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), resumed.iterations);
        assertEquals(full.state, resumed.state, "the resumed run ends in the same state as an uninterrupted one");
        assertTrue(events.stream().anyMatch(e -> e instanceof TrainingEvent.Notice n && n.message().contains("damaged")));
    }

    @Test
    void aResumedRunKeepsTheCheckpointsRateAndWeightsUnlessTheUserGivesOthers() throws Exception {
        LossWeights first = LossWeights.defaults().with(LossTerm.TV, 7.0);
        ScriptedLoop a = new ScriptedLoop();
        a.lr = 3e-4;
        run(new TrainingRunner(config(3, 3).toBuilder().weights(first).build(), () -> a, e -> { }));

        // Plain resume: the flags' defaults (another tv weight, another rate) do not replace the checkpoint's.
        ScriptedLoop b = new ScriptedLoop();
        run(new TrainingRunner(config(6, 3).toBuilder().resume(true).weights(LossWeights.defaults()).learningRate(1e-3).build(),
                () -> b, e -> { }));
        assertEquals(first, b.weightsSeen.get(0));
        assertEquals(3e-4, b.lr, 1e-12);

        // Resume with --lr 5e-5 --w3 50: those two change, the rest is the checkpoint's.
        ScriptedLoop c = new ScriptedLoop();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        ResumeOverrides given = new ResumeOverrides(OptionalDouble.of(5e-5), Map.of(LossTerm.CONTENT, 50.0));
        run(new TrainingRunner(config(9, 3).toBuilder().resume(true).resumeOverrides(given).build(), () -> c, events::add));
        assertEquals(List.of(7, 8, 9), c.iterations);
        assertEquals(first.with(LossTerm.CONTENT, 50.0), c.weightsSeen.get(0));
        assertEquals(5e-5, c.lr, 1e-12);
        assertTrue(events.stream().anyMatch(e -> e instanceof TrainingEvent.Notice n && n.message().contains("learning rate")));
        assertTrue(events.stream().anyMatch(e -> e instanceof TrainingEvent.Notice n && n.message().contains("weights")));
    }

    @Test
    void aNanLossRollsBackLowersTheLearningRateOnceAndNeverSavesIt() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        loop.nanAt = new java.util.function.IntPredicate() {
            boolean fired;
            @Override
            public boolean test(int i) {
                if (i == 5 && !fired) {
                    fired = true;
                    return true;
                }
                return false;
            }
        };
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingEvent end = run(new TrainingRunner(config(6, 2), () -> loop, events::add));
        assertInstanceOf(TrainingEvent.RunFinished.class, end);
        assertEquals(2e-5, loop.lr, 1e-12);
        assertEquals(List.of(1, 2, 3, 4, 5, 5, 6), loop.iterations);
        TrainingEvent.RolledBack back = events.stream().filter(e -> e instanceof TrainingEvent.RolledBack)
                .map(e -> (TrainingEvent.RolledBack) e).findFirst().orElseThrow();
        assertTrue(back.nan());
        assertEquals(4, back.iteration(), "to the newest good checkpoint, not to the start");
        assertEquals(5, back.failedAt());
        assertEquals(2e-5, back.learningRate(), 1e-12, "the rate the engine uses now");
        assertTrue(events.stream().anyMatch(e -> e instanceof TrainingEvent.LearningRateChanged c
                && Math.abs(c.learningRate() - 2e-5) < 1e-12));
    }

    @Test
    void aCollapsedOutputRollsBackHalvesTheLearningRateAndIsNeverSaved() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        // flat output from step 5 on, the first time only (after the roll-back the run is healthy)
        loop.flatAt = new java.util.function.IntPredicate() {
            int seen;
            @Override
            public boolean test(int i) {
                return i >= 5 && i <= 7 && seen++ < 3;
            }
        };
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingEvent end = run(new TrainingRunner(config(9, 2), () -> loop, events::add));
        assertInstanceOf(TrainingEvent.RunFinished.class, end);
        assertEquals(1e-4, loop.lr, 1e-12);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 5, 6, 7, 8, 9), loop.iterations,
                "three flat steps in a row: back to the checkpoint of step 4");
        List<Integer> saved = events.stream().filter(e -> e instanceof TrainingEvent.CheckpointSaved)
                .map(TrainingEvent::iteration).toList();
        assertEquals(List.of(0, 2, 4, 6, 8, 9), saved, "the flat step 6 was not saved; the healthy one after the roll-back was");
        TrainingEvent.RolledBack back = events.stream().filter(e -> e instanceof TrainingEvent.RolledBack)
                .map(e -> (TrainingEvent.RolledBack) e).findFirst().orElseThrow();
        assertFalse(back.nan());
        assertEquals(4, back.iteration());
        assertEquals(1e-4, back.learningRate(), 1e-12);
    }

    @Test
    void aCollapseThatPersistsStopsTheRunWithAdvice() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        loop.flatAt = i -> i >= 3;
        TrainingEvent end = run(new TrainingRunner(config(9, 2), () -> loop, e -> { }));
        assertInstanceOf(TrainingEvent.RunFailed.class, end);
        String m = ((TrainingEvent.RunFailed) end).message();
        assertTrue(m.contains("flat or two-colour image") && m.contains("lower learning rate"), m);
        assertEquals(2e-4 / 8, loop.lr, 1e-12, "halved three times before giving up");
    }

    @Test
    void anOutputFlatFromTheStartIsNoCollapseButAskForAPretrainedStart() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        loop.flatAt = i -> true;
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingEvent end = run(new TrainingRunner(config(50, 2), () -> loop, events::add));
        String m = assertInstanceOf(TrainingEvent.RunFailed.class, end).message();
        assertTrue(m.contains("since the start") && m.contains("pretrain"), m);
        assertEquals(2e-4, loop.lr, 1e-12, "no roll-back, no lowered rate");
        assertTrue(events.stream().noneMatch(e -> e instanceof TrainingEvent.RolledBack));
        assertTrue(new CheckpointStore(dir.resolve("ws/runs/t"), 5, 0).list().isEmpty(), "the name stays free");
    }

    @Test
    void aLearningRateSetDuringARunIsUsedFromTheNextStep() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch third = new CountDownLatch(1);
        TrainingRunner runner = new TrainingRunner(config(200, 1000), () -> loop, e -> {
            events.add(e);
            if (e instanceof TrainingEvent.StepCompleted s && s.iteration() == 3) {
                third.countDown();
            }
        });
        runner.start();
        assertTrue(third.await(20, TimeUnit.SECONDS));
        runner.setLearningRate(3e-5);
        runner.cancel();
        runner.completion().get(20, TimeUnit.SECONDS);
        assertEquals(2e-4, ((TrainingEvent.LearningRateChanged) events.stream()
                .filter(e -> e instanceof TrainingEvent.LearningRateChanged).findFirst().orElseThrow()).learningRate(),
                1e-12, "the rate in force is sent at the start");
        assertThrows(IllegalArgumentException.class, () -> runner.setLearningRate(-1));
    }

    @Test
    void aNanThatPersistsFailsWithAClearMessage() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        loop.nanAt = i -> i >= 3;
        TrainingEvent end = run(new TrainingRunner(config(6, 2), () -> loop, e -> { }));
        assertInstanceOf(TrainingEvent.RunFailed.class, end);
        assertTrue(((TrainingEvent.RunFailed) end).message().contains("NaN"));
    }

    @Test
    void aSecondTrainingOnTheSameWorkspaceIsRefused() throws Exception {
        ScriptedLoop slow = new ScriptedLoop();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        slow.onStep = () -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        TrainingRunner first = new TrainingRunner(config(2, 100), () -> slow, e -> { }).start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        TrainingEvent second = run(new TrainingRunner(config(2, 100).toBuilder().modelVersion("other").build(), ScriptedLoop::new, e -> { }));
        release.countDown();
        assertInstanceOf(TrainingEvent.RunFailed.class, second);
        assertTrue(((TrainingEvent.RunFailed) second).message().contains("another training"));
        assertInstanceOf(TrainingEvent.RunFinished.class, first.completion().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFreshRunNeverWritesIntoARunThatHasCheckpoints() throws Exception {
        run(new TrainingRunner(config(4, 2), ScriptedLoop::new, e -> { }));
        Path folder = dir.resolve("ws/runs/t");
        List<Path> before = new CheckpointStore(folder, 5, 0).list();
        long[] sizes = new long[before.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Files.size(before.get(i));
        }
        boolean[] built = {false};
        TrainingEvent end = run(new TrainingRunner(config(6, 2), () -> {
            built[0] = true;
            return new ScriptedLoop();
        }, e -> { }));
        TrainingEvent.RunFailed failed = assertInstanceOf(TrainingEvent.RunFailed.class, end);
        assertTrue(failed.message().contains("already has checkpoints") && failed.message().contains("'t-2'"),
                failed.message());
        assertFalse(built[0], "refused before the networks were built");
        assertEquals(before, new CheckpointStore(folder, 5, 0).list());
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], Files.size(before.get(i)));
        }
        assertInstanceOf(TrainingEvent.RunFinished.class, run(new TrainingRunner(config(6, 2).toBuilder().resume(true).build(),
                ScriptedLoop::new, e -> { })), "resuming it is allowed");
    }

    @Test
    void aRunKeepsAsManyOfItsNewestCheckpointsAsAsked() throws Exception {
        run(new TrainingRunner(config(12, 2).toBuilder().keepLast(2).build(), ScriptedLoop::new, e -> { }));
        List<Path> left = new CheckpointStore(dir.resolve("ws/runs/t"), 100, 0).list();
        assertEquals(List.of(12, 10), left.stream().map(p -> CheckpointStore.iterationOf(p).orElseThrow()).toList());
        assertEquals(2, io.github.facetoon.config.ConfigJson.training(io.github.facetoon.config.ConfigJson.training(
                config(1, 1).toBuilder().keepLast(2).build())).keepLast(), "the setting travels with the run");
    }

    @Test
    void pauseHoldsTheRunAndCancelStopsItWithACheckpoint() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingRunner runner = new TrainingRunner(config(1000, 1000), () -> loop, events::add);
        loop.onStep = () -> {
            if (loop.iterations.size() == 3) {
                runner.pause();
            }
        };
        runner.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (events.stream().noneMatch(e -> e instanceof TrainingEvent.PauseChanged) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        int atPause = loop.iterations.size();
        Thread.sleep(200);
        assertEquals(atPause, loop.iterations.size(), "no step runs while paused");
        runner.cancel();
        TrainingEvent end = runner.completion().get(10, TimeUnit.SECONDS);
        assertTrue(((TrainingEvent.RunFinished) end).cancelled());
        assertTrue(Files.exists(((TrainingEvent.RunFinished) end).lastCheckpoint()));
        assertFalse(runner.isPaused());
    }

    @Test
    void aFailedSaveLeavesNoTemporaryFileAndKeepsTheGoodCheckpoint() throws Exception {
        ScriptedLoop loop = new ScriptedLoop();
        run(new TrainingRunner(config(2, 2), () -> loop, e -> { }));
        CheckpointStore store = new CheckpointStore(dir.resolve("ws/runs/t"), 5, 0);
        byte[] before = Files.readAllBytes(store.pathFor(2));
        CheckpointFile cf = CheckpointFile.read(store.pathFor(2));
        // A target that cannot be written: a folder of the same name blocks the rename.
        Path blocked = store.pathFor(4);
        Files.createDirectories(blocked.resolve("x"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> cf.write(blocked));
        assertTrue(e.getMessage().contains("could not save checkpoint"), e.getMessage());
        assertEquals(0, countTemp(store.folder()));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(store.pathFor(2))));
    }

    private static long countTemp(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(CheckpointFile.TEMP_PREFIX)).count();
        }
    }
}
