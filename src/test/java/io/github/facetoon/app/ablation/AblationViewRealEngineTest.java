package io.github.facetoon.app.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The ablation board over the REAL engine: two tiny weight sets fine-tuned from a real checkpoint fill the grid. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class AblationViewRealEngineTest {

    @TempDir
    static Path dir;

    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private StudioEngine engine;
    private AblationViewModel vm;
    private AblationView view;

    @Start
    void start(Stage stage) throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 2, 48, 3);
        Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("cartoons"), 2, 48, 4);
        Path ws = dir.resolve("ws");
        engine = StudioEngines.open(new Workspace(ws), "cpu");
        // A real base checkpoint: two pretraining steps.
        TrainingConfig pre = TrainingConfig.builder(TrainingConfig.Phase.PRETRAIN, photos, null, ws).totalIter(2)
                .batchSize(2).imageSize(32).device("cpu").build();
        TrainingEvent end = engine.startTraining(pre, e -> { }).completion().get(120, TimeUnit.SECONDS);
        Path base = ((TrainingEvent.RunFinished) assertInstanceOf(TrainingEvent.RunFinished.class, end)).lastCheckpoint();

        vm = new AblationViewModel(engine, background, new FxEventPump(Platform::runLater), new RecordingNotifier(),
                I18n.english(), ws);
        vm.photosProperty().set(photos);
        vm.cartoonsProperty().set(cartoons);
        vm.baseCheckpointProperty().set(base);
        vm.imageSizeProperty().set(32);
        vm.batchSizeProperty().set(2);
        vm.stepsProperty().set(2);
        vm.add("baseline", LossWeights.defaults());
        vm.add("no landmark", LossWeights.defaults().with(LossTerm.LANDMARK, 0));
        view = new AblationView(vm, I18n.english(), new RecordingNotifier(),
                FXCollections.<CheckpointInfo>observableArrayList(), LossWeights::defaults);
        TestStages.show(stage, view, 1200, 760);
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        engine.close();
    }

    @Test
    void twoRealWeightSetsFillTheGrid(FxRobot robot) throws Exception {
        robot.clickOn("#ablation-run");
        WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> vm.sets().stream()
                .allMatch(s -> s.getStatus() == WeightSet.Status.DONE || s.getStatus() == WeightSet.Status.FAILED));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.sets().stream().allMatch(s -> s.getStatus() == WeightSet.Status.DONE),
                () -> vm.sets().stream().map(s -> s.getName() + ":" + s.getStatus()).toList().toString());
        long images = view.grid().getChildren().stream().mapToLong(this::countImages).sum();
        // 2 test photos (the training photos by default), each with its own cell and one cartoon per weight set.
        assertEquals(2 * (1 + 2), images);
        Path png = dir.resolve("grid.png");
        robot.interact(() -> view.exportPng(png));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(png) && Files.size(png) > 1000);
    }

    private long countImages(Node node) {
        if (node instanceof ImageView) {
            return 1;
        }
        if (node instanceof javafx.scene.Parent p) {
            return p.getChildrenUnmodifiable().stream().mapToLong(this::countImages).sum();
        }
        return 0;
    }
}
