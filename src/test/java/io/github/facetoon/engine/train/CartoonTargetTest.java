package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.ConfigJson;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.config.TrainingConfig.Target;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stylised warm start: pretraining toward the cartoon filter's rendering of each photo. */
class CartoonTargetTest {

    private static final int S = 64;

    /** A photo of two flat halves, a darker left and a lighter right, with a little noise. */
    private static float[] twoTone() {
        float[] chw = new float[3 * S * S];
        java.util.Random r = new java.util.Random(3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    float v = (x < S / 2 ? -0.2f : 0.6f) + (float) (r.nextGaussian() * 0.02);
                    chw[c * S * S + y * S + x] = v;
                }
            }
        }
        return chw;
    }

    @Test
    void inksTheEdgeLeavesFlatAreasFlatAndIsDeterministic() {
        CartoonTarget target = CartoonTarget.of(TrainingConfig.Target.CARTOON, S);
        float[] photo = twoTone();
        float[] toon = target.render(new float[][] {photo})[0];
        assertArrayEquals(toon, target.render(new float[][] {photo})[0], "same photo, same target");
        int row = S / 2;
        // Darkest value along the middle row, near the edge, against the flat dark half far from it.
        float nearEdge = Float.MAX_VALUE;
        for (int x = S / 2 - 6; x < S / 2 + 6; x++) {
            nearEdge = Math.min(nearEdge, toon[row * S + x]);
        }
        float flatDark = toon[row * S + 6];
        assertTrue(nearEdge < flatDark - 0.15f, "an outline darker than the dark half: " + nearEdge + " vs " + flatDark);
        // Away from the edge the noise is smoothed away: neighbouring pixels of the light half barely differ.
        double steps = 0;
        double photoSteps = 0;
        for (int x = S / 2 + 12; x < S - 6; x++) {
            steps += Math.abs(toon[row * S + x + 1] - toon[row * S + x]);
            photoSteps += Math.abs(photo[row * S + x + 1] - photo[row * S + x]);
        }
        assertTrue(steps < 0.3 * photoSteps, "flat area smoothed: " + steps + " vs the photo's " + photoSteps);
    }

    @Test
    void theTargetTravelsWithTheConfigurationAndParsesUsersWords() {
        TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.PRETRAIN, Path.of("p"), null, Path.of("w"))
                .target(Target.CARTOON).build();
        assertEquals(Target.CARTOON, ConfigJson.training(ConfigJson.training(c)).target());
        TrainingConfig plain = c.toBuilder().target(Target.PHOTO).build();
        assertTrue(!ConfigJson.training(plain).has("target"), "White-box's default is not written");
        assertEquals(Target.PHOTO, ConfigJson.training(ConfigJson.training(plain)).target());
        assertEquals(Target.CARTOON, Target.parse(" Cartoon "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse("toon"));
        assertTrue(e.getMessage().contains("photo, cartoon or inked"), e.getMessage());
        assertEquals(Target.INKED, Target.parse("inked"));
        assertEquals(Target.INKED, ConfigJson.training(ConfigJson.training(c.toBuilder().target(Target.INKED).build())).target());
    }

    @Test
    void theInkedTargetSpreadsTheTonesAndKeepsTheOutline() {
        float[] photo = twoTone();
        float[] soft = CartoonTarget.of(TrainingConfig.Target.CARTOON, S).render(new float[][] {photo})[0];
        CartoonTarget inked = CartoonTarget.of(TrainingConfig.Target.INKED, S);
        float[] bold = inked.render(new float[][] {photo})[0];
        assertArrayEquals(bold, inked.render(new float[][] {photo})[0], "same photo, same target");
        int row = S / 2;
        float softSpread = soft[row * S + S - 8] - soft[row * S + 6];
        float boldSpread = bold[row * S + S - 8] - bold[row * S + 6];
        // Lightness contrast 1.3 about the mean: the two halves lie further apart than in the warm start's look.
        assertTrue(boldSpread > 1.15f * softSpread, "tones spread: " + boldSpread + " vs " + softSpread);
        float nearEdge = Float.MAX_VALUE;
        for (int x = S / 2 - 6; x < S / 2 + 6; x++) {
            nearEdge = Math.min(nearEdge, bold[row * S + x]);
        }
        assertTrue(nearEdge < bold[row * S + 6] - 0.15f, "an outline darker than the dark half: " + nearEdge);
        assertEquals(null, CartoonTarget.of(TrainingConfig.Target.PHOTO, S), "the photo is its own target");
    }

    @Test
    void aCartoonPretrainingRunsAndIsNotResumedTowardThePhoto(@TempDir Path dir) throws Exception {
        Path ws = dir.resolve("ws");
        try (StudioEngine engine = StudioEngines.open(new Workspace(ws), "cpu")) {
            Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 48, 5);
            TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.PRETRAIN, photos, null, ws)
                    .totalIter(2).batchSize(2).imageSize(32).saveEvery(1).device("cpu")
                    .modelVersion("warm").target(Target.CARTOON).build();
            TrainingEvent end = engine.startTraining(c, e -> { }).completion().get(120, TimeUnit.SECONDS);
            assertInstanceOf(TrainingEvent.RunFinished.class, end, end.toString());
            TrainingEvent refused = engine.startTraining(c.toBuilder().totalIter(3).resume(true)
                    .target(Target.PHOTO).build(), e -> { }).completion().get(120, TimeUnit.SECONDS);
            assertInstanceOf(TrainingEvent.RunFailed.class, refused, refused.toString());
            assertTrue(((TrainingEvent.RunFailed) refused).message().contains("--target cartoon"), refused.toString());
            TrainingEvent resumed = engine.startTraining(c.toBuilder().totalIter(3).resume(true).build(), e -> { })
                    .completion().get(120, TimeUnit.SECONDS);
            assertInstanceOf(TrainingEvent.RunFinished.class, resumed, resumed.toString());
        }
    }

    @Test
    void filesWrittenBeforeTrainingHadATargetStillReadTheirs() {
        com.google.gson.JsonObject old = ConfigJson.training(TrainingConfig.defaults(TrainingConfig.Phase.PRETRAIN,
                Path.of("p"), null, Path.of("w")));
        old.addProperty("pretrainTarget", "cartoon");
        assertEquals(Target.CARTOON, ConfigJson.training(old).target());
    }

    @Test
    void trainingCanKeepTheContentNearTheCartoonTarget(@TempDir Path dir) throws Exception {
        Path ws = dir.resolve("ws");
        try (StudioEngine engine = StudioEngines.open(new Workspace(ws), "cpu")) {
            Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 4, 48, 5);
            Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("cartoons"), 4, 48, 6);
            TrainingConfig c = TrainingConfig.defaults(TrainingConfig.Phase.TRAIN, photos, cartoons, ws).toBuilder()
                    .totalIter(1).batchSize(2).imageSize(32).saveEvery(1).device("cpu").seed(3).build();
            double[] content = new double[2];
            Target[] targets = {Target.PHOTO, Target.CARTOON};
            for (int i = 0; i < 2; i++) {
                int k = i;
                TrainingEvent end = engine.startTraining(c.toBuilder().modelVersion("t-" + targets[i].id()).target(targets[i]).build(),
                        e -> {
                            if (e instanceof TrainingEvent.StepCompleted s) {
                                content[k] = s.losses().get("content");
                            }
                        }).completion().get(120, TimeUnit.SECONDS);
                assertInstanceOf(TrainingEvent.RunFinished.class, end, end.toString());
            }
            // Same seed, same start: only the content term's reference differs.
            assertTrue(Math.abs(content[0] - content[1]) > 1e-6 * Math.max(content[0], 1e-12),
                    "photo " + content[0] + " vs cartoon " + content[1]);
            Path saved = new CheckpointStore(ws.resolve("runs/t-cartoon"), 5, 0).list().get(0);
            assertEquals("cartoon", ConfigJson.targetOf(CheckpointFile.readHeader(saved).getAsJsonObject("config")));
            TrainingEvent refused = engine.startTraining(c.toBuilder().modelVersion("t-cartoon").totalIter(2).resume(true).build(),
                    e -> { }).completion().get(120, TimeUnit.SECONDS);
            assertTrue(refused instanceof TrainingEvent.RunFailed f && f.message().contains("--target cartoon"),
                    refused.toString());
        }
    }
}
