package io.github.facetoon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.facetoon.app.common.StudioPreferences;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppContextTest {

    @TempDir
    Path dir;

    private final Preferences node = Preferences.userRoot().node("io/github/facetoon/test-" + UUID.randomUUID());

    @AfterEach
    void removePreferences() throws Exception {
        node.removeNode();
    }

    private AppContext open() {
        return new AppContext(new Workspace(dir.resolve("ws")), FakeStudioEngine::new, new StudioPreferences(node),
                Runnable::run);
    }

    @Test
    void foldersWeightsAndSettingsAreRememberedBetweenRuns() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        AppContext first = open();
        first.train().photos().folderProperty().set(photos);
        first.train().weightProperty(LossTerm.LANDMARK).set(33);
        first.train().batchSizeProperty().set(4);
        first.cartoonize().useSize(1080);
        first.cartoonize().useStrength(0.7);
        first.close();

        AppContext second = open();
        second.start();
        assertEquals(photos, second.train().photos().getFolder());
        assertEquals(33, second.train().getWeights().landmark());
        assertEquals(4, second.train().batchSizeProperty().get());
        assertEquals(photos, second.ablation().photosProperty().get());
        assertEquals(1080, second.cartoonize().maxSideProperty().get(), "the Cartoonize page's output size");
        assertEquals(0.7, second.cartoonize().strengthProperty().get(), 1e-9, "the Cartoonize page's strength");
        second.close();
    }
}
