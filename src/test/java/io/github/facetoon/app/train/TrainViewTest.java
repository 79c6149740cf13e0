package io.github.facetoon.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.train.TrainViewModel.RunState;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
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

@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class TrainViewTest {

    @TempDir
    static Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private TrainViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        TestImages.png(dir.resolve("photos/a.png"), 16, 16);
        TestImages.png(dir.resolve("cartoons/b.png"), 16, 16);
        vm = new TrainViewModel(engine, background, new FxEventPump(Platform::runLater), new RecordingNotifier(),
                I18n.english(), dir.resolve("ws"));
        vm.photos().folderProperty().set(dir.resolve("photos"));
        vm.cartoons().folderProperty().set(dir.resolve("cartoons"));
        TrainView view = new TrainView(vm, I18n.english(), c -> { }, () -> null);
        TestStages.show(stage, view, 1260, 780);
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    private void startRun(FxRobot robot) throws Exception {
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.RUNNING);
        // The weights sit at the bottom of the side panel.
        robot.interact(() -> robot.lookup(".side-panel").queryAs(ScrollPane.class).setVvalue(1));
    }

    @Test
    void movingASliderDuringARunChangesTheRunsLiveWeights(FxRobot robot) throws Exception {
        startRun(robot);
        double before = engine.lastRun().weights().get().texture();
        Node thumb = robot.lookup("#weight-slider-texture .thumb").query();
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(60, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double after = engine.lastRun().weights().get().texture();
        assertTrue(after > before, "texture weight went from " + before + " to " + after);
        assertEquals(after, vm.weightProperty(2).get());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.weightChanges().isEmpty());
    }

    @Test
    void typingANumberChangesTheRunsWeight(FxRobot robot) throws Exception {
        startRun(robot);
        robot.doubleClickOn("#weight-field-landmark").eraseText(6).write("25\n");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(25, engine.lastRun().weights().get().landmark());
    }

    @Test
    void previewPanesShowTheImagesOfEachPreviewEvent(FxRobot robot) throws Exception {
        startRun(robot);
        ImageView output = robot.lookup("#preview-output").queryAs(ImageView.class);
        engine.lastRun().preview(10, 16);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> output.getImage() != null);
        var first = output.getImage();
        engine.lastRun().preview(20, 24);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> output.getImage() != first);
        assertEquals(24, output.getImage().getWidth());
        for (String name : TrainView.PREVIEW_NAMES) {
            assertNotNull(robot.lookup("#preview-" + name).queryAs(ImageView.class).getImage(), name);
        }
    }

    @Test
    void stopEndsTheRunAndStartIsPossibleAgain(FxRobot robot) throws Exception {
        startRun(robot);
        engine.lastRun().step(5, 1);
        robot.clickOn("#train-stop");
        assertTrue(engine.lastRun().isCancelled());
        engine.lastRun().finish(null, true);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.IDLE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#train-start").query().isDisabled());
        assertNotEquals("", vm.progressTextProperty().get());
    }
}
