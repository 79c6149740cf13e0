package io.github.facetoon.app.cartoonize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
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
class CartoonizeViewTest {

    @TempDir
    Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private CartoonizeViewModel vm;
    private CartoonizeView view;

    @Start
    void start(Stage stage) {
        vm = new CartoonizeViewModel(engine, background, new FxEventPump(Platform::runLater), notifier,
                I18n.english());
        view = new CartoonizeView(vm, I18n.english(), () -> null);
        TestStages.show(stage, view, 1000, 700);
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    private void drop(FxRobot robot, Path... files) throws Exception {
        robot.interact(() -> view.dropFiles(java.util.Arrays.stream(files).map(Path::toFile).toList()));
    }

    @Test
    void droppingAnImageShowsItsCartoonInTheViewer(FxRobot robot) throws Exception {
        Path photo = TestImages.png(dir.resolve("face.png"), 64, 48);
        assertTrue(robot.lookup("#drop-hint").query().isVisible());
        drop(robot, photo);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(view.viewer().beforeProperty().get());
        assertEquals(64, view.viewer().afterProperty().get().getWidth());
        assertEquals(1, view.viewer().landmarksProperty().get().size());
        assertTrue(!robot.lookup("#drop-hint").query().isVisible());
    }

    @Test
    void theFirstStartSampleComesWithAHintUntilPeopleAddTheirOwn(FxRobot robot) throws Exception {
        Path samples = java.nio.file.Files.createDirectories(dir.resolve("samples"));
        TestImages.png(samples.resolve("sample.png"), 64, 48);
        Path mine = TestImages.png(dir.resolve("mine.png"), 64, 48);
        robot.interact(() -> vm.addSample(samples));
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> vm.items().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#sample-hint").query().isVisible(), "the sample is shown with the hint");
        assertTrue(!robot.lookup("#drop-hint").query().isVisible());
        drop(robot, mine);
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> vm.items().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!robot.lookup("#sample-hint").query().isVisible(), "gone once people drop their own photo");
    }

    @Test
    void cartoonsHaveThePhotosOwnSizeUntilASmallerOutputIsChosen(FxRobot robot) throws Exception {
        drop(robot, TestImages.png(dir.resolve("big.png"), 1000, 800));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1000, view.viewer().afterProperty().get().getWidth(), "the photo's own size by default");
        robot.clickOn("#size-choice");
        robot.clickOn("720p");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null
                && view.viewer().afterProperty().get().getHeight() == 720);
        assertEquals(720, engine.lastOptions.maxShortSide());
    }

    @Test
    void releasingTheStrengthSliderMakesThePhotoAgainAtThatStrength(FxRobot robot) throws Exception {
        drop(robot, TestImages.png(dir.resolve("face.png"), 64, 48));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.items().get(0).getStatus() == PhotoItem.Status.DONE);
        int before = engine.cartoonized.size();
        assertEquals("1.00", robot.lookup("#strength-value").queryAs(Label.class).getText());
        robot.drag("#strength-slider .thumb", MouseButton.PRIMARY).moveBy(-50, 0);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before, engine.cartoonized.size(), "nothing is made while the slider is dragged");
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> engine.cartoonized.size() > before
                && vm.items().get(0).getStatus() == PhotoItem.Status.DONE);
        double s = engine.lastOptions.strength();
        assertTrue(s < 1.0 && s > 0, "made again at strength " + s);
        assertEquals(s, vm.items().get(0).getResult().strength(), 1e-9);
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", s),
                robot.lookup("#strength-value").queryAs(Label.class).getText());
    }

    @Test
    void theDividerFollowsTheMouse(FxRobot robot) throws Exception {
        drop(robot, TestImages.png(dir.resolve("face.png"), 64, 48));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        double before = view.viewer().dividerProperty().get();
        robot.drag(view.viewer().dividerHandle(), MouseButton.PRIMARY).moveBy(-150, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        double after = view.viewer().dividerProperty().get();
        assertTrue(after < before - 0.1, "divider moved from " + before + " to " + after);
    }

    @Test
    void sideBySideModeAndZoomStayInStep(FxRobot robot) throws Exception {
        drop(robot, TestImages.png(dir.resolve("face.png"), 64, 48));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        robot.clickOn("#mode-side");
        assertEquals(BeforeAfterViewer.Mode.SIDE_BY_SIDE, view.viewer().modeProperty().get());
        robot.interact(() -> view.viewer().actualSize());
        assertEquals(1.0, view.viewer().zoomProperty().get());
        robot.clickOn("#landmarks-toggle .thumb-area");
        assertTrue(view.viewer().showLandmarksProperty().get());
    }

    @Test
    void aBadFileShowsAnErrorAndTheNextPhotoStillWorks(FxRobot robot) throws Exception {
        Path bad = TestImages.broken(dir.resolve("holiday.jpg"));
        drop(robot, bad);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.items().isEmpty()
                && vm.items().get(0).getStatus() == PhotoItem.Status.FAILED);
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup("#viewer-error").queryAs(Label.class);
        assertTrue(error.isVisible());
        assertTrue(error.getText().contains("holiday.jpg"), error.getText());
        assertEquals(1, notifier.errors.size());

        drop(robot, TestImages.png(dir.resolve("good.png"), 32, 32));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!error.isVisible(), "error still shown: " + error.getText() + " selected " + vm.selectedProperty().get());
        assertEquals(List.of(bad, dir.resolve("good.png")), engine.cartoonized);
    }

    @Test
    void photosLeaveTheListByDeleteOrTheContextMenuAndTheFilesStay(FxRobot robot) throws Exception {
        Path a = TestImages.png(dir.resolve("a.png"), 32, 32);
        Path b = TestImages.png(dir.resolve("b.png"), 32, 32);
        Path c = TestImages.png(dir.resolve("c.png"), 32, 32);
        drop(robot, a, b, c);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.items().size() == 3);
        robot.clickOn(robot.lookup("#photo-list .list-cell").nth(0).queryAs(javafx.scene.Node.class));
        robot.type(javafx.scene.input.KeyCode.DELETE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, vm.items().size());
        assertTrue(vm.items().stream().noneMatch(i -> i.file().equals(a)));
        javafx.scene.control.ListView<?> list = robot.lookup("#photo-list").queryAs(javafx.scene.control.ListView.class);
        // Headless, a right click does not open context menus: open it as the right click would.
        robot.interact(() -> list.getContextMenu().show(list, javafx.geometry.Side.BOTTOM, 0, 0));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Clear the list");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.items().isEmpty());
        assertTrue(java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b) && java.nio.file.Files.exists(c),
                "only the list changes");
    }

    @Test
    void theModelChoiceStaysWhenTrainingSavesANewCheckpoint(FxRobot robot) {
        javafx.scene.control.ComboBox<?> model = robot.lookup("#model-choice").queryAs(javafx.scene.control.ComboBox.class);
        io.github.facetoon.engine.CheckpointInfo first = checkpoint(50);
        robot.interact(() -> vm.setCheckpoints(List.of(first)));
        robot.interact(() -> vm.useModel(new io.github.facetoon.engine.ModelChoice.Checkpoint(first.path())));
        Object chosen = model.getValue();
        assertEquals(new io.github.facetoon.engine.ModelChoice.Checkpoint(first.path()), chosen);
        // the newest checkpoint comes first, so the chosen one moves down the list
        robot.interact(() -> vm.setCheckpoints(List.of(checkpoint(100), first)));
        assertEquals(chosen, model.getValue(), "never blank");
        assertEquals(4, model.getItems().size());
    }

    private io.github.facetoon.engine.CheckpointInfo checkpoint(int iteration) {
        return new io.github.facetoon.engine.CheckpointInfo(dir.resolve(String.format("runs/1/iter-%08d.ftc", iteration)),
                "1", io.github.facetoon.config.TrainingConfig.Phase.TRAIN, iteration,
                io.github.facetoon.config.LossWeights.defaults(), 128, java.time.Instant.now());
    }

    @Test
    void aDroppedVideoGetsAScrubberAndAVideoJobWithProgressStopAndOpen(FxRobot robot) throws Exception {
        Path clip = dir.resolve("party.mp4");
        java.nio.file.Files.writeString(clip, "FAKEVIDEO");
        List<Path> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> view.setOpener(opened::add));
        drop(robot, clip);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#video-bar").query().isVisible(), "a video shows the video bar");
        javafx.scene.control.Slider scrub = robot.lookup("#video-scrubber").queryAs(javafx.scene.control.Slider.class);
        assertEquals(4.0, scrub.getMax(), 1e-9, "the scrubber spans the video's 4 s");
        assertEquals("Frame at 0:00.0 of 0:04.0", robot.lookup("#video-time").queryAs(Label.class).getText());
        // The frame under the scrubber is cartoonized: another frame, another picture.
        javafx.scene.image.Image first = view.viewer().afterProperty().get();
        robot.interact(() -> scrub.setValue(2.5));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != first
                && view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Frame at 0:02.5 of 0:04.0", robot.lookup("#video-time").queryAs(Label.class).getText());

        // The video job: progress while it runs, Stop keeps nothing.
        engine.videoFrameMillis = 60;
        Path target = dir.resolve("out/party_cartoon.mp4");
        robot.interact(() -> vm.cartoonizeVideo(target));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#video-status").queryAs(Label.class)
                .getText().startsWith("Frame "));
        assertTrue(robot.lookup("#video-progress").query().isVisible());
        assertTrue(robot.lookup("#video-make").query().isDisabled(), "one video at a time");
        robot.clickOn("#video-stop");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !vm.videoRunningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#video-status").queryAs(Label.class).getText().startsWith("Stopped after"),
                robot.lookup("#video-status").queryAs(Label.class).getText());
        assertTrue(!java.nio.file.Files.exists(target));
        assertTrue(!robot.lookup("#video-open").query().isVisible());

        // Again to the end: the result can be opened.
        engine.videoFrameMillis = 2;
        robot.interact(() -> vm.cartoonizeVideo(target));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.lastVideoProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(java.nio.file.Files.exists(target));
        assertEquals(List.of("party.mp4|party_cartoon.mp4|bundled default model|1.0|0"), engine.videosMade);
        assertTrue(robot.lookup("#video-status").queryAs(Label.class).getText().startsWith("Wrote party_cartoon.mp4: 40 frames"),
                robot.lookup("#video-status").queryAs(Label.class).getText());
        robot.clickOn("#video-open");
        assertEquals(List.of(target), opened);
    }
}
