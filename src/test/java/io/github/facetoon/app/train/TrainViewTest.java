package io.github.facetoon.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.train.RunLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
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
        engine.library = new RunLibrary(new Workspace(dir.resolve("ws")), name -> false);
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
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(15, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double after = engine.lastRun().weights().get().texture();
        assertTrue(after / before < TrainView.ASK_ABOVE_FACTOR, "a short drag is a small step, asked about by nobody");
        assertTrue(after > before, "texture weight went from " + before + " to " + after);
        assertEquals(after, vm.weightProperty(LossTerm.TEXTURE).get());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.weightChanges().isEmpty());
    }

    @Test
    void aLongDragDuringARunAsksBeforeChangingAWeightTenfold(FxRobot robot) throws Exception {
        startRun(robot);
        double before = engine.lastRun().weights().get().texture();
        Node thumb = robot.lookup("#weight-slider-texture .thumb").query();
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(150, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before, engine.lastRun().weights().get().texture(), "declined: the run keeps its weight");
        assertEquals(before, vm.weightProperty(LossTerm.TEXTURE).get());
        assertEquals(before, TrainView.scale(LossTerm.TEXTURE).value(robot.lookup("#weight-slider-texture")
                .queryAs(javafx.scene.control.Slider.class).getValue()), before * 1e-6, "and the slider shows it");
        thumb = robot.lookup("#weight-slider-texture .thumb").query();
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(150, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Change it");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(engine.lastRun().weights().get().texture() > before * TrainView.ASK_ABOVE_FACTOR);
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
        // A click enlarges it; the large view follows the next preview.
        robot.clickOn("#preview-output");
        WaitForAsyncUtils.waitForFxEvents();
        ImageView large = robot.lookup("#preview-large").queryAs(ImageView.class);
        assertEquals(output.getImage(), large.getImage());
        assertTrue(large.getFitWidth() >= 2 * output.getImage().getWidth() - 1e-9, "shown larger: " + large.getFitWidth());
        engine.lastRun().preview(30, 32);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> large.getImage() != null && large.getImage().getWidth() == 32);
        robot.clickOn("Close");
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

    private static Path oldCheckpoint(String run, int iteration) throws Exception {
        Path p = dir.resolve("ws/runs").resolve(run).resolve(String.format("iter-%08d.ftc", iteration));
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1, 2, 3});
        return p;
    }

    private void finishRun() throws Exception {
        engine.lastRun().finish(null, false);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.IDLE);
    }

    @Test
    void startingUnderANameThatHasCheckpointsAsksAndCanStartUnderAFreeName(FxRobot robot) throws Exception {
        Path old = oldCheckpoint("taken", 50);
        robot.interact(() -> vm.modelVersionProperty().set("taken"));
        int before = engine.runs.size();
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#run-conflict").tryQuery().isPresent());
        assertEquals(before, engine.runs.size(), "nothing started before the answer");
        assertEquals(RunState.IDLE, vm.stateProperty().get());
        robot.clickOn("Start as \"taken-2\"");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.RUNNING);
        assertEquals("taken-2", engine.lastRun().config.modelVersion());
        assertFalse(engine.lastRun().config.resume());
        assertEquals("taken-2", vm.modelVersionProperty().get(), "the field shows the name in use");
        assertTrue(Files.exists(old), "the old run is untouched");
        finishRun();
    }

    @Test
    void resumingFromTheQuestionContinuesTheExistingRun(FxRobot robot) throws Exception {
        oldCheckpoint("again", 300);
        robot.interact(() -> vm.modelVersionProperty().set("again"));
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#run-conflict").tryQuery().isPresent());
        robot.clickOn("Resume it");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.RUNNING);
        assertEquals("again", engine.lastRun().config.modelVersion());
        assertTrue(engine.lastRun().config.resume());
        assertTrue(engine.lastRun().config.totalIter() > 300);
        finishRun();
    }

    @Test
    void replacingMovesTheOldRunToTheTrashAndTheRunsTabRestoresIt(FxRobot robot) throws Exception {
        Path old = oldCheckpoint("replace-me", 10);
        robot.interact(() -> vm.modelVersionProperty().set("replace-me"));
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#run-conflict").tryQuery().isPresent());
        robot.clickOn("Replace…");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Move it to the trash and start");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.stateProperty().get() == RunState.RUNNING);
        assertEquals("replace-me", engine.lastRun().config.modelVersion());
        assertFalse(Files.exists(old), "moved away, not overwritten");
        var trashed = engine.library.trash();
        assertEquals(1, trashed.stream().filter(t -> t.name().equals("replace-me")).count());
        finishRun();

        robot.clickOn("#runs-tab");
        vm.runs().refresh();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.runs().trash().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> bin = robot.lookup("#trash-table").queryAs(TableView.class);
        robot.interact(() -> bin.getSelectionModel().select(0));
        robot.clickOn("#runs-restore");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Files.exists(old));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(old));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.runs().trash().isEmpty());
        assertTrue(vm.runs().runs().stream().anyMatch(r -> r.name().equals("replace-me") && r.checkpoints() == 1));
    }

    @Test
    void theThreadsSettingReachesTheEngineAtOnce(FxRobot robot) {
        javafx.scene.control.ChoiceBox<?> threads = robot.lookup("#train-threads").queryAs(javafx.scene.control.ChoiceBox.class);
        assertEquals(0, threads.getValue(), "one per core by default");
        robot.interact(() -> threads.getSelectionModel().select(1));
        assertEquals(1, engine.threads);
        assertEquals(1, vm.threadsProperty().get());
        robot.interact(() -> vm.threadsProperty().set(0));
        assertEquals(0, threads.getValue());
        assertEquals(0, engine.threads);
    }

    @Test
    void theLearningRateFieldTakesAPositiveNumberAndRefusesTheRest(FxRobot robot) {
        javafx.scene.control.TextField rate = robot.lookup("#train-learning-rate")
                .queryAs(javafx.scene.control.TextField.class);
        robot.interact(() -> {
            rate.setText("5e-5");
            rate.fireEvent(new javafx.event.ActionEvent());
        });
        assertEquals(5e-5, vm.learningRateProperty().get(), 1e-15);
        robot.interact(() -> {
            rate.setText("fast");
            rate.fireEvent(new javafx.event.ActionEvent());
        });
        assertEquals(5e-5, vm.learningRateProperty().get(), 1e-15);
        assertEquals("5e-5", rate.getText(), "the field shows the rate in use again");
        robot.interact(() -> vm.learningRateProperty().set(2e-4));
    }
}
