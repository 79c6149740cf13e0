package io.github.facetoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static final Path PHOTOS = Path.of("photos");
    private static final Path CARTOONS = Path.of("cartoons");
    private static final Path WS = Path.of("ws");

    @Test
    void theBuilderStartsFromTheDefaultsOfEachPhase() {
        TrainingConfig train = TrainingConfig.defaults(TrainingConfig.Phase.TRAIN, PHOTOS, CARTOONS, WS);
        assertEquals(100_000, train.totalIter());
        assertEquals("1", train.modelVersion());
        assertEquals(TrainingConfig.DEFAULT_BATCH_SIZE, train.batchSize());
        assertEquals(TrainingConfig.DEFAULT_IMAGE_SIZE, train.imageSize());
        assertEquals(TrainingConfig.DEFAULT_LEARNING_RATE, train.learningRate());
        assertEquals(LossWeights.defaults(), train.weights());
        assertEquals(0.0, train.faceShare());
        TrainingConfig pre = TrainingConfig.defaults(TrainingConfig.Phase.PRETRAIN, PHOTOS, null, WS);
        assertEquals(50_000, pre.totalIter());
        assertEquals("pre", pre.modelVersion());
    }

    @Test
    void toBuilderChangesOnlyWhatIsSetAndBuildValidates() {
        TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.TRAIN, PHOTOS, CARTOONS, WS)
                .batchSize(8).seed(7).faceShare(0.5).target(TrainingConfig.Target.INKED).build();
        TrainingConfig d = c.toBuilder().totalIter(300).build();
        assertEquals(c.toBuilder().totalIter(300).build(), d);
        assertEquals(300, d.totalIter());
        assertEquals(8, d.batchSize());
        assertEquals(0.5, d.faceShare());
        assertEquals(TrainingConfig.Target.INKED, d.target());
        assertEquals(c, d.toBuilder().totalIter(c.totalIter()).build(), "a round trip through the builder is exact");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.toBuilder().faceShare(1.2).build());
        assertTrue(e.getMessage().contains("--face_share"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.toBuilder().batchSize(0).build());
    }

    @Test
    void theFaceShareTravelsInTheCheckpointHeaderAndIsLeftOutWhenOff() {
        TrainingConfig off = TrainingConfig.defaults(TrainingConfig.Phase.TRAIN, PHOTOS, CARTOONS, WS);
        assertFalse(ConfigJson.training(off).has("faceShare"), "older readers see nothing new");
        assertEquals(off, ConfigJson.training(ConfigJson.training(off)));
        TrainingConfig on = off.toBuilder().faceShare(0.4).build();
        assertEquals(0.4, ConfigJson.training(ConfigJson.training(on)).faceShare());
    }
}
