package io.github.facetoon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.common.StudioPreferences;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.control.TabPane;
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
class MainViewTest {

    @TempDir
    static Path dir;

    private final Preferences node = Preferences.userRoot().node("io/github/facetoon/test-" + UUID.randomUUID());
    private final FakeStudioEngine engine = new FakeStudioEngine();
    private AppContext context;
    private MainView view;

    @Start
    void start(Stage stage) {
        context = new AppContext(new Workspace(dir), () -> engine, new StudioPreferences(node), Platform::runLater);
        view = new MainView(context, () -> { }, () -> { });
        TestStages.show(stage, view, 1260, 780);
        context.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        context.background().shutdownNow();
        node.removeNode();
    }

    @Test
    void theStudioOpensWithThreePagesAndFindsTheEngine(FxRobot robot) throws Exception {
        assertEquals(3, robot.lookup(".main-tabs").queryAs(TabPane.class).getTabs().size());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> context.train().deviceTextProperty().get().contains("Fake CPU"));
    }

    @Test
    void shortcutsSwitchPagesAndTheme(FxRobot robot) {
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.DIGIT2)
                .release(javafx.scene.input.KeyCode.DIGIT2, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MainView.Page.TRAIN, view.page());
        robot.interact(() -> view.setDark(true));
        assertTrue(view.getStyleClass().contains("dark"));
    }

    @Test
    void everyWayOutAsksWhileATrainingRuns(FxRobot robot) throws Exception {
        TestImages.png(dir.resolve("photos/a.png"), 16, 16);
        TestImages.png(dir.resolve("cartoons/b.png"), 16, 16);
        robot.interact(() -> {
            context.train().photos().folderProperty().set(dir.resolve("photos"));
            context.train().cartoons().folderProperty().set(dir.resolve("cartoons"));
            context.train().modelVersionProperty().set("quit-test");
            context.train().start();
        });
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> context.train().busyProperty().get() && engine.lastRun() != null);
        javafx.stage.Window window = view.getScene().getWindow();
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.Q)
                .release(javafx.scene.input.KeyCode.Q, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.isShowing(), "Cancel keeps the studio open");
        assertFalse(engine.lastRun().isCancelled(), "and the run going");
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.Q)
                .release(javafx.scene.input.KeyCode.Q, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Stop the run and quit");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(engine.lastRun().isCancelled(), "quitting stops the run, which saves a checkpoint");
        assertFalse(window.isShowing());
    }

    @Test
    void theHelpMenuHasAGuideThatListsEveryShortcutAndFollowsTheTheme(FxRobot robot) {
        robot.interact(() -> view.setDark(true));
        robot.press(javafx.scene.input.KeyCode.F1).release(javafx.scene.input.KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane guide = robot.lookup("#guide-dialog").queryAs(javafx.scene.control.DialogPane.class);
        String keys = robot.lookup("#guide-shortcuts").queryAs(javafx.scene.control.TextArea.class).getText();
        assertTrue(keys.contains("Quit") && keys.contains("Add photos") && keys.contains("Dark theme"), keys);
        assertTrue(guide.getStyleClass().contains("dark"), "the dialog follows the dark theme");
        robot.clickOn("Close");
    }

    @Test
    void choosingALanguageOffersToRestartInIt(FxRobot robot) {
        boolean[] restarted = {false};
        robot.interact(() -> view.setRestarter(() -> restarted[0] = true));
        robot.clickOn("View").clickOn("Language").clickOn("中文 (中国)");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("立即重启");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(restarted[0], "restarted in the new language");
        assertEquals("zh-CN", context.prefs().text("language", ""));
    }
}
