package io.github.facetoon.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.train.TrainViewModel.RunState;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.train.TrainingEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainViewModelTest {

    @TempDir
    Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private TrainViewModel vm;

    @BeforeEach
    void setUp() throws Exception {
        vm = new TrainViewModel(engine, Runnable::run, Runnable::run, notifier, I18n.english(), dir.resolve("ws"));
        TestImages.png(dir.resolve("photos/a.png"), 16, 16);
        TestImages.png(dir.resolve("cartoons/b.png"), 16, 16);
        vm.photos().folderProperty().set(dir.resolve("photos"));
        vm.cartoons().folderProperty().set(dir.resolve("cartoons"));
    }

    @Test
    void startBuildsTheConfigurationFromTheSettings() {
        vm.iterationsProperty().set(1234);
        vm.weightProperty(LossTerm.TEXTURE).set(7);
        vm.start();
        assertEquals(RunState.RUNNING, vm.stateProperty().get());
        assertEquals(1234, engine.lastRun().config.totalIter());
        assertEquals(7, engine.lastRun().config.weights().texture());
        assertEquals(dir.resolve("cartoons"), engine.lastRun().config.cartoons());
    }

    @Test
    void aNewcomersRunStartsFromTheBundledModelOnceItIsThere() {
        assertEquals(TrainViewModel.InitKind.SCRATCH, vm.initKindProperty().get());
        Path bundled = dir.resolve("ws/bundled/facetoon-default.ftc");
        vm.bundledPretrainedProperty().set(bundled);
        assertEquals(TrainViewModel.InitKind.BUNDLED, vm.initKindProperty().get());
        vm.start();
        assertEquals(bundled, engine.lastRun().config.init());
        vm.stop();
        engine.lastRun().finish(null, true);
        vm.initKindProperty().set(TrainViewModel.InitKind.FILE);
        vm.bundledPretrainedProperty().set(null);
        vm.bundledPretrainedProperty().set(bundled);
        assertEquals(TrainViewModel.InitKind.FILE, vm.initKindProperty().get(), "a choice the user made stays");
    }

    @Test
    void aStartingRunSaysWhatItIsDoingAndNeverShowsNaN() {
        vm.start();
        var run = engine.lastRun();
        run.emit(new io.github.facetoon.engine.train.TrainingEvent.Preparing(0, 
                io.github.facetoon.engine.train.TrainingEvent.Stage.READING_DATA));
        assertTrue(vm.progressTextProperty().get().contains("reading the photos"), vm.progressTextProperty().get());
        run.emit(new io.github.facetoon.engine.train.TrainingEvent.Preparing(0, 
                io.github.facetoon.engine.train.TrainingEvent.Stage.FIRST_STEP));
        assertTrue(vm.progressTextProperty().get().contains("first step"), vm.progressTextProperty().get());
        run.emitStep(1, java.util.Map.of("g_total", 1.0), Double.NaN);
        String first = vm.progressTextProperty().get();
        assertTrue(first.contains("measuring the speed") && !first.contains("NaN"), first);
        run.emitStep(2, java.util.Map.of("g_total", 1.0), 0.5);
        assertTrue(vm.progressTextProperty().get().contains("0.50 it/s"), vm.progressTextProperty().get());
    }

    @Test
    void afterARollBackTheSlidersTheRateAndTheChartsSayWhatTheEngineUses() {
        vm.start();
        var run = engine.lastRun();
        vm.weightProperty(LossTerm.TEXTURE).set(240);
        for (int i = 1; i <= 44; i++) {
            run.emitStep(i, java.util.Map.of("g_total", 1.0 / i), 1.0);
        }
        io.github.facetoon.config.LossWeights checkpointWeights = io.github.facetoon.config.LossWeights.defaults();
        run.emit(new io.github.facetoon.engine.train.TrainingEvent.RolledBack(40, 44, checkpointWeights, 1e-4, false));
        assertEquals(checkpointWeights.texture(), vm.weightProperty(LossTerm.TEXTURE).get(), "the slider shows the texture in use");
        assertEquals(240, run.weights().get().texture(), "copying the engine's values is not an edit sent back");
        assertEquals(1e-4, vm.learningRateProperty().get(), 1e-12);
        assertEquals(java.util.List.of(40), vm.rollbacks());
        double[][] kept = vm.history().smoothed("g_total", 0, 1000);
        assertEquals(40, (int) kept[0][kept[0].length - 1], "the discarded steps 41-44 are not drawn");
        assertTrue(notifier.errors.stream().anyMatch(e -> e.contains("back to iteration 40")), notifier.errors.toString());
        vm.learningRateProperty().set(3e-5);
        assertEquals(3e-5, run.learningRate, 1e-12, "a rate typed during the run reaches it");
    }

    @Test
    void startWaitsForAFolderWithAnImageItCanRead() throws Exception {
        Path broken = dir.resolve("broken");
        io.github.facetoon.app.TestImages.broken(broken.resolve("x.jpg"));
        var canStart = vm.canStartProperty();
        var hint = vm.startHintProperty();
        assertTrue(canStart.get(), hint.get());
        vm.photos().folderProperty().set(broken);
        assertEquals(false, canStart.get());
        assertEquals("The photo folder has no image that can be read.", hint.get());
        vm.photos().folderProperty().set(dir.resolve("photos"));
        assertTrue(canStart.get(), hint.get());
    }

    @Test
    void anEstimateBeforeStartSaysTheTimePerStepForTheRunAndTheMemory() {
        vm.iterationsProperty().set(3000);
        vm.estimate();
        String text = vm.estimateTextProperty().get();
        assertTrue(text.contains("1.5 s per step") && text.contains("1:15:00") && text.contains("3,000 steps")
                && text.contains("1.5 GB"), text);
        vm.iterationsProperty().set(1000);
        assertTrue(vm.estimateTextProperty().get().contains("1,000 steps"), "rescaled without measuring again");
        vm.batchSizeProperty().set(vm.batchSizeProperty().get() * 2);
        assertEquals("", vm.estimateTextProperty().get(), "another batch needs another measurement");
    }

    @Test
    void aResumedRunsChartsGoOnFromItsKeptHistory() throws Exception {
        engine.library = new io.github.facetoon.engine.train.RunLibrary(
                new io.github.facetoon.engine.Workspace(dir.resolve("ws")), n -> false);
        java.nio.file.Path folder = dir.resolve("ws/runs/1");
        java.nio.file.Files.createDirectories(folder);
        java.nio.file.Files.writeString(folder.resolve("losses.tsv"), "1\tg_total=3\n2\tg_total=2\n3\tg_total=1\n");
        java.nio.file.Files.writeString(folder.resolve("run-log.txt"), "Saved checkpoint at iteration 3\n");
        vm.resumeFrom(new io.github.facetoon.engine.CheckpointInfo(folder.resolve("iter-00000003.ftc"), "1",
                Phase.TRAIN, 3, io.github.facetoon.config.LossWeights.defaults(), 128, java.time.Instant.now()));
        assertEquals(3, vm.history().size("g_total"), "the three kept steps are drawn again");
        engine.lastRun().emitStep(4, java.util.Map.of("g_total", 0.5), 1.0);
        assertEquals(4, vm.history().size("g_total"));
        assertEquals(java.util.List.of("Saved checkpoint at iteration 3"), vm.runLog(), "the run log comes back too");
        engine.lastRun().emit(new io.github.facetoon.engine.train.TrainingEvent.Notice(4, "a notice"));
        assertEquals(java.util.List.of("Saved checkpoint at iteration 3", "a notice"),
                java.nio.file.Files.readAllLines(folder.resolve("run-log.txt")), "new lines are kept with the run, once");
    }

    @Test
    void movingAWeightDuringARunChangesTheRunsLiveWeights() {
        vm.start();
        vm.weightProperty(LossTerm.LANDMARK).set(42);
        assertEquals(42, engine.lastRun().weights().get().landmark());
    }

    @Test
    void aPresetReachesTheRunAsOneChange() {
        vm.start();
        vm.applyPreset(LossWeights.paper());
        assertEquals(LossWeights.paper(), engine.lastRun().weights().get());
        assertEquals(1, vm.weightChanges().size());
    }

    @Test
    void weightsChangedEventsAreMarkedForTheCharts() {
        vm.start();
        engine.lastRun().step(10, 1);
        vm.weightProperty(LossTerm.SURFACE).set(0.5);
        assertEquals(java.util.List.of(11), vm.weightChanges());
    }

    @Test
    void stepsFillTheHistoryAndTheProgress() {
        vm.iterationsProperty().set(100);
        vm.start();
        for (int i = 1; i <= 20; i++) {
            engine.lastRun().step(i, 1.0 / i);
        }
        assertEquals(20, vm.iterationProperty().get());
        assertEquals(0.2, vm.progressProperty().get(), 1e-9);
        assertEquals(20, vm.history().size("texture"));
        assertTrue(vm.progressTextProperty().get().contains("20 / 100"), vm.progressTextProperty().get());
    }

    @Test
    void previewEventsReachThePreviewProperty() {
        vm.start();
        engine.lastRun().preview(5, 8);
        TrainingEvent.PreviewReady p = vm.previewProperty().get();
        assertNotNull(p);
        assertEquals(5, p.iteration());
        assertEquals(6, p.images().size());
    }

    @Test
    void pauseResumeAndStopDriveTheRun() {
        vm.start();
        vm.pause();
        assertTrue(engine.lastRun().isPaused());
        assertEquals(RunState.PAUSED, vm.stateProperty().get());
        vm.resume();
        assertFalse(engine.lastRun().isPaused());
        vm.stop();
        assertTrue(engine.lastRun().isCancelled());
        assertEquals(RunState.STOPPING, vm.stateProperty().get());
        engine.lastRun().finish(null, true);
        assertEquals(RunState.IDLE, vm.stateProperty().get());
        assertNull(vm.activeRun());
    }

    @Test
    void aFailedRunShowsItsMessageAndTheStudioCanStartAgain() {
        vm.start();
        engine.lastRun().fail("out of GPU memory: try batch size 8");
        assertEquals(RunState.IDLE, vm.stateProperty().get());
        assertTrue(notifier.errors.get(0).contains("batch size 8"), notifier.errors.toString());
        vm.start();
        assertEquals(2, engine.runs.size());
    }

    @Test
    void anEngineThatRefusesToStartGivesAnErrorNotACrash() {
        engine.startFailure = new IllegalStateException("a training already runs on this workspace");
        vm.start();
        assertEquals(RunState.IDLE, vm.stateProperty().get());
        assertTrue(notifier.errors.get(0).contains("already runs"), notifier.errors.toString());
    }

    @Test
    void dataProblemsAreListedUnderTheirFolder() {
        vm.start();
        Path bad = dir.resolve("cartoons/zz.png");
        engine.lastRun().emit(new TrainingEvent.DataProblem(3, bad, "cannot decode"));
        assertEquals(bad, vm.cartoons().badFiles().get(0).file());
        assertEquals(RunState.RUNNING, vm.stateProperty().get());
    }

    @Test
    void startingWithoutCartoonsForTrainingExplainsWhatIsMissing() {
        vm.cartoons().folderProperty().set(null);
        vm.start();
        assertTrue(engine.runs.isEmpty());
        assertTrue(notifier.errors.get(0).contains("cartoon folder"), notifier.errors.toString());
        vm.phaseProperty().set(Phase.PRETRAIN);
        vm.start();
        assertEquals(1, engine.runs.size());
    }

    @Test
    void theDatasetCountsImagesAndListsBrokenFiles() throws Exception {
        TestImages.broken(dir.resolve("photos/broken.jpg"));
        vm.photos().rescan();
        assertEquals(1, vm.photos().countProperty().get());
        assertEquals(1, vm.photos().badFiles().size());
        assertEquals(1, vm.photos().thumbnails().size());
    }

    @Test
    void aPretrainedCheckpointBecomesTheStartOfTheNextRun() {
        Path pre = dir.resolve("ws/runs/pre/iter-00050000.ftc");
        vm.phaseProperty().set(Phase.PRETRAIN);
        vm.startFrom(new io.github.facetoon.engine.CheckpointInfo(pre, "pre", Phase.PRETRAIN, 50_000,
                LossWeights.defaults(), 256, java.time.Instant.now()));
        vm.start();
        assertEquals(pre, engine.lastRun().config.init());
        assertEquals(Phase.TRAIN, engine.lastRun().config.phase());
        assertEquals(256, engine.lastRun().config.imageSize());
    }

    @Test
    void resumingACheckpointContinuesItsRun() {
        vm.resumeFrom(new io.github.facetoon.engine.CheckpointInfo(dir.resolve("ws/runs/7/iter-00001000.ftc"), "7",
                Phase.TRAIN, 1000, LossWeights.paper(), 128, java.time.Instant.now()));
        assertTrue(engine.lastRun().config.resume());
        assertEquals("7", engine.lastRun().config.modelVersion());
        assertEquals(LossWeights.paper(), engine.lastRun().config.weights());
    }

    @Test
    void aRunThatEndsAtOnceLeavesTheStudioIdle() {
        engine.autoSteps = 3;
        vm.start();
        assertEquals(RunState.IDLE, vm.stateProperty().get());
        assertNull(vm.activeRun());
        assertEquals(3, vm.iterationProperty().get());
    }
}
