package io.github.facetoon.app.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationViewModelTest {

    @TempDir
    Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final RecordingNotifier notifier = new RecordingNotifier();

    @Test
    void twoWeightSetsFineTuneFromTheSameCheckpointAndGetTested() throws Exception {
        engine.autoSteps = 5;
        AblationViewModel vm = new AblationViewModel(engine, Runnable::run, Runnable::run, notifier, I18n.english(),
                dir.resolve("ws"));
        TestImages.png(dir.resolve("photos/a.png"), 16, 16);
        TestImages.png(dir.resolve("photos/b.png"), 16, 16);
        TestImages.png(dir.resolve("cartoons/c.png"), 16, 16);
        vm.photosProperty().set(dir.resolve("photos"));
        vm.cartoonsProperty().set(dir.resolve("cartoons"));
        Path base = dir.resolve("base.params");
        vm.baseCheckpointProperty().set(base);
        vm.stepsProperty().set(5);
        vm.batchSizeProperty().set(4);
        vm.learningRateProperty().set(5e-5);
        vm.imageSizeProperty().set(96);
        vm.add("baseline", LossWeights.defaults());
        vm.add("no landmark", LossWeights.defaults().with(LossTerm.LANDMARK, 0));

        vm.runAll();

        assertFalse(vm.runningProperty().get());
        assertEquals(2, engine.runs.size());
        assertEquals(base, engine.runs.get(0).config.init());
        assertEquals(base, engine.runs.get(1).config.init());
        assertEquals(5, engine.runs.get(1).config.totalIter());
        assertEquals(4, engine.runs.get(1).config.batchSize(), "the batch shown is the batch used");
        assertEquals(5e-5, engine.runs.get(1).config.learningRate(), 1e-15);
        assertEquals(96, engine.runs.get(1).config.imageSize());
        assertEquals(0, engine.runs.get(1).config.weights().landmark());
        assertNotEquals(engine.runs.get(0).config.modelVersion(), engine.runs.get(1).config.modelVersion());
        for (WeightSet set : vm.sets()) {
            assertEquals(WeightSet.Status.DONE, set.getStatus());
            assertEquals(2, set.getReport().items().size());
        }
        assertEquals(java.util.List.of("a.png", "b.png"), vm.photoNames());
        assertTrue(notifier.errors.isEmpty(), notifier.errors.toString());
    }

    @Test
    void withoutABaseCheckpointItSaysWhatToDo() {
        AblationViewModel vm = new AblationViewModel(engine, Runnable::run, Runnable::run, notifier, I18n.english(),
                dir);
        vm.add("x", LossWeights.defaults());
        vm.runAll();
        assertTrue(engine.runs.isEmpty());
        assertTrue(notifier.errors.get(0).contains("checkpoint"), notifier.errors.toString());
    }

    @Test
    void aFailingSetDoesNotStopTheQueue() throws Exception {
        AblationViewModel vm = new AblationViewModel(engine, Runnable::run, Runnable::run, notifier, I18n.english(),
                dir);
        TestImages.png(dir.resolve("photos/a.png"), 16, 16);
        vm.photosProperty().set(dir.resolve("photos"));
        vm.cartoonsProperty().set(dir.resolve("photos"));
        vm.baseCheckpointProperty().set(dir.resolve("base.params"));
        vm.add("one", LossWeights.defaults());
        vm.add("two", LossWeights.defaults());
        vm.runAll();
        engine.runs.get(0).fail("bad checkpoint: wrong architecture");
        assertEquals(WeightSet.Status.FAILED, vm.sets().get(0).getStatus());
        assertEquals(2, engine.runs.size());
        assertEquals(WeightSet.Status.TRAINING, vm.sets().get(1).getStatus());
    }

    @Test
    void theNewestCheckpointThatLearnedSomethingIsTheBase() {
        AblationViewModel vm = new AblationViewModel(engine, Runnable::run, Runnable::run, notifier, I18n.english(),
                dir.resolve("ws"));
        java.time.Instant now = java.time.Instant.now();
        var fresh = new io.github.facetoon.engine.CheckpointInfo(dir.resolve("runs/new/iter-00000000.ftc"), "new",
                io.github.facetoon.config.TrainingConfig.Phase.TRAIN, 0, LossWeights.defaults(), 128, now);
        var trained = new io.github.facetoon.engine.CheckpointInfo(dir.resolve("runs/old/iter-00000900.ftc"), "old",
                io.github.facetoon.config.TrainingConfig.Phase.TRAIN, 900, LossWeights.defaults(), 128, now.minusSeconds(60));
        var older = new io.github.facetoon.engine.CheckpointInfo(dir.resolve("runs/old/iter-00000500.ftc"), "old",
                io.github.facetoon.config.TrainingConfig.Phase.TRAIN, 500, LossWeights.defaults(), 128, now.minusSeconds(120));
        vm.offerCheckpoints(java.util.List.of(fresh, trained, older));
        assertEquals(trained.path(), vm.baseCheckpointProperty().get());
    }
}
