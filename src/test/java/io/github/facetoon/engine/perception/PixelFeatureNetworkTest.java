package io.github.facetoon.engine.perception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.loss.ContentLoss;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PixelFeatureNetworkTest {

    @Test
    void theWordPixelsChoosesThePixelsAndAFileOfThatNameStaysAFile() throws IOException {
        assertTrue(FeatureNetworks.isPixels(Path.of("pixels")));
        assertFalse(FeatureNetworks.isPixels(Path.of("./pixels")));
        assertFalse(FeatureNetworks.isPixels(null));
        EngineRuntime.ensureConfigured();
        try (FeatureNetwork net = FeatureNetworks.open(Path.of("pixels"), Device.cpu())) {
            assertInstanceOf(PixelFeatureNetwork.class, net);
            assertEquals("pixels", net.name());
        }
    }

    @Test
    void theContentTermBecomesARelativePixelDistance() {
        EngineRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); FeatureNetwork net = new PixelFeatureNetwork()) {
            NDArray photo = m.create(new float[] {0.5f, -0.5f, 0.5f, -0.5f}, new Shape(1, 1, 2, 2));
            NDArray out = m.create(new float[] {0.6f, -0.5f, 0.3f, -0.5f}, new Shape(1, 1, 2, 2));
            assertArrayEquals(photo.toFloatArray(), net.features(photo).toFloatArray());
            // mean|out − photo| = 0.075, over mean|photo| = 0.5, times K
            double d = ContentLoss.distance(net.features(photo), net.features(out),
                    ContentLoss.normaliser(net.features(photo))).getFloat();
            assertEquals(0.15 * ContentLoss.SCALE, d, 1e-6);
        }
    }

    @Test
    void aTrainingWithItsOwnStructureNetworkRunsAndKeepsTheChoiceInItsCheckpoints(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path ws = dir.resolve("ws");
        try (io.github.facetoon.engine.StudioEngine engine = io.github.facetoon.engine.StudioEngines.open(
                new io.github.facetoon.engine.Workspace(ws), "cpu")) {
            Path photos = io.github.facetoon.engine.bench.SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 48, 5);
            io.github.facetoon.config.TrainingConfig c = io.github.facetoon.config.TrainingConfig.builder(
                    io.github.facetoon.config.TrainingConfig.Phase.TRAIN, photos, photos, ws)
                    .totalIter(2).batchSize(2).imageSize(32).saveEvery(1).device("cpu")
                    .modelVersion("own-structure").structureNet(Path.of("pixels"))
                    .target(io.github.facetoon.config.TrainingConfig.Target.INKED).build();
            java.util.List<java.util.Map<String, Double>> losses = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.github.facetoon.engine.train.TrainingEvent end = engine.startTraining(c, e -> {
                if (e instanceof io.github.facetoon.engine.train.TrainingEvent.StepCompleted s) {
                    losses.add(s.losses());
                }
            }).completion().get(180, java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(io.github.facetoon.engine.train.TrainingEvent.RunFinished.class, end, end.toString());
            assertFalse(losses.isEmpty());
            double structure = losses.get(losses.size() - 1).get("structure");
            assertTrue(Double.isFinite(structure) && structure > 0, "structure term " + structure);
            Path ckpt = ((io.github.facetoon.engine.train.TrainingEvent.RunFinished) end).lastCheckpoint();
            io.github.facetoon.config.TrainingConfig saved = io.github.facetoon.config.ConfigJson.training(
                    io.github.facetoon.engine.train.CheckpointFile.read(ckpt).header().getAsJsonObject("config"));
            assertEquals(Path.of("pixels"), saved.structureNet());
            assertEquals(null, saved.contentNet(), "the content term keeps the bundled network");
        }
    }
}
