package io.github.facetoon.app.cartoonize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.engine.Samples;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Path;
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

/** The cartoonize view over the REAL engine: a dropped photo becomes a cartoon; a bad file breaks nothing. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class CartoonizeViewRealEngineTest {

    @TempDir
    static Path dir;

    private final RecordingNotifier notifier = new RecordingNotifier();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private StudioEngine engine;
    private CartoonizeViewModel vm;
    private CartoonizeView view;

    @Start
    void start(Stage stage) {
        engine = StudioEngines.open(new Workspace(dir.resolve("ws")), "cpu");
        vm = new CartoonizeViewModel(engine, background, new FxEventPump(Platform::runLater), notifier, I18n.english());
        view = new CartoonizeView(vm, I18n.english(), () -> null);
        TestStages.show(stage, view, 1000, 700);
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        engine.close();
    }

    @Test
    void aDroppedPhotoBecomesACartoonTheDividerMovesAndABadFileBreaksNothing(FxRobot robot) throws Exception {
        Path bad = TestImages.broken(dir.resolve("holiday.jpg"));
        robot.interact(() -> view.dropFiles(java.util.List.of(bad.toFile())));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.items().isEmpty()
                && vm.items().get(0).getStatus() == PhotoItem.Status.FAILED);
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup("#viewer-error").queryAs(Label.class);
        assertTrue(error.isVisible() && error.getText().contains("holiday.jpg"), error.getText());

        Path photo = Samples.copyTo(dir.resolve("samples")).get(0);
        robot.interact(() -> view.dropFiles(java.util.List.of(photo.toFile())));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> view.viewer().afterProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        // The astronaut (512 px) comes back as a 512 px cartoon, with the face landmarks the engine found.
        assertEquals(512, view.viewer().afterProperty().get().getWidth());
        assertEquals(1, view.viewer().landmarksProperty().get().size());
        assertTrue(!error.isVisible(), error.getText());

        double before = view.viewer().dividerProperty().get();
        robot.drag(view.viewer().dividerHandle(), MouseButton.PRIMARY).moveBy(-150, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.viewer().dividerProperty().get() < before - 0.1);
    }
}
