package io.github.facetoon.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.train.TrainViewModel.RunState;
import io.github.facetoon.config.ConfigJson;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointStore;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
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

/**
 * The train view over the REAL engine: a tiny training on generated images, where the slider reaches the engine's
 * next step and the preview panes receive new images while it runs.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class TrainViewRealEngineTest {

    @TempDir
    static Path dir;

    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private StudioEngine engine;
    private TrainViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 48, 1);
        Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("cartoons"), 4, 48, 2);
        engine = StudioEngines.open(new Workspace(dir.resolve("ws")), "cpu");
        vm = new TrainViewModel(engine, background, new FxEventPump(Platform::runLater), new RecordingNotifier(),
                I18n.english(), dir.resolve("ws"));
        vm.photos().folderProperty().set(photos);
        vm.cartoons().folderProperty().set(cartoons);
        vm.phaseProperty().set(Phase.TRAIN);
        vm.imageSizeProperty().set(32);
        vm.batchSizeProperty().set(2);
        vm.iterationsProperty().set(100_000);
        vm.saveEveryProperty().set(100_000);
        vm.modelVersionProperty().set("ui-real");
        TrainView view = new TrainView(vm, I18n.english(), c -> { }, () -> null);
        TestStages.show(stage, view, 1260, 780);
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        engine.close();
    }

    @Test
    void theSliderReachesTheNextStepAndPreviewsArriveDuringARealTraining(FxRobot robot) throws Exception {
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.iterationProperty().get() >= 2);
        ImageView output = robot.lookup("#preview-output").queryAs(ImageView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> output.getImage() != null);
        Image first = output.getImage();
        int before = vm.iterationProperty().get();

        robot.interact(() -> robot.lookup(".side-panel").queryAs(ScrollPane.class).setVvalue(1));
        Node thumb = robot.lookup("#weight-slider-texture .thumb").query();
        // A short drag: a small step, which a running training takes without asking (a tenfold one asks first).
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(15, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double chosen = vm.weightProperty(LossTerm.TEXTURE).get();
        assertTrue(chosen > 1, "the slider moved the texture weight up: " + chosen);
        // The engine reports the step at which it started using the new weights: a later step than before.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.weightChanges().isEmpty());
        assertTrue(vm.weightChanges().get(0) > before, vm.weightChanges() + " vs " + before);
        // Previews keep coming while it trains.
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> output.getImage() != first);

        robot.clickOn("#train-stop");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.IDLE);
        // The checkpoint written on stop records the weights the run was using.
        Path ckpt = new CheckpointStore(dir.resolve("ws/runs/ui-real"), 5, 0).list().get(0);
        double saved = ConfigJson.weights(CheckpointFile.read(ckpt).header().getAsJsonObject("weights")).texture();
        // A roll-back (a collapse of the tiny 32-px run under the raised texture weight, which a slow, loaded
        // machine can reach before the stop) restores the checkpoint's weights, and the slider shows them: the
        // checkpoint holds what the run used at the end, which is the chosen weight unless it rolled back.
        double inUse = vm.weightProperty(LossTerm.TEXTURE).get();
        assertEquals(inUse, saved, 1e-9, "rolled back at " + vm.rollbacks());
        if (vm.rollbacks().isEmpty()) {
            assertEquals(chosen, saved, 1e-9);
        }
        assertFalse(robot.lookup("#train-start").query().isDisabled());
    }
}
