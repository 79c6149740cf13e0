package io.github.facetoon.app.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.app.FakeStudioEngine;
import io.github.facetoon.app.FxEventPump;
import io.github.facetoon.app.RecordingNotifier;
import io.github.facetoon.app.TestImages;
import io.github.facetoon.app.TestStages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.CheckpointInfo;
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

@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class AblationViewTest {

    @TempDir
    static Path dir;

    private final FakeStudioEngine engine = new FakeStudioEngine();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private AblationViewModel vm;
    private AblationView view;

    @Start
    void start(Stage stage) throws Exception {
        engine.autoSteps = 3;
        TestImages.png(dir.resolve("photos/a.png"), 24, 24);
        TestImages.png(dir.resolve("photos/b.png"), 24, 24);
        TestImages.png(dir.resolve("cartoons/c.png"), 24, 24);
        vm = new AblationViewModel(engine, background, new FxEventPump(Platform::runLater), new RecordingNotifier(),
                I18n.english(), dir.resolve("ws"));
        vm.photosProperty().set(dir.resolve("photos"));
        vm.cartoonsProperty().set(dir.resolve("cartoons"));
        vm.baseCheckpointProperty().set(dir.resolve("base.params"));
        vm.stepsProperty().set(3);
        vm.add("baseline", LossWeights.defaults());
        vm.add("no landmark", LossWeights.defaults().with(LossTerm.LANDMARK, 0));
        view = new AblationView(vm, I18n.english(), new RecordingNotifier(),
                FXCollections.<CheckpointInfo>observableArrayList(), LossWeights::defaults);
        TestStages.show(stage, view, 1200, 760);
    }

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    @Test
    void runningTwoWeightSetsFillsTheGrid(FxRobot robot) throws Exception {
        robot.clickOn("#ablation-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.sets().stream()
                .allMatch(s -> s.getStatus() == WeightSet.Status.DONE));
        WaitForAsyncUtils.waitForFxEvents();
        long images = view.grid().getChildren().stream().mapToLong(this::countImages).sum();
        // 2 rows: one photo cell plus one cartoon per weight set.
        assertEquals(2 * (1 + 2), images);
        assertEquals(2, engine.runs.size());

        Path png = dir.resolve("grid.png");
        robot.interact(() -> view.exportPng(png));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Files.exists(png) && Files.size(png) > 0);
        assertTrue(Files.size(png) > 1000);
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
