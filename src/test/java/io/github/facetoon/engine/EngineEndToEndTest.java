package io.github.facetoon.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.ModelExport;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny real pretrain + train + cartoonize through the public engine API, on generated images, on CPU. */
class EngineEndToEndTest {

    @TempDir
    static Path dir;
    static Path photos;
    static Path cartoons;
    static StudioEngine engine;

    @BeforeAll
    static void setUp() throws Exception {
        photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 6, 48, 1);
        cartoons = SyntheticPhotos.writeCartoons(dir.resolve("cartoons"), 6, 48, 2);
        engine = StudioEngines.open(new Workspace(dir.resolve("ws")), "cpu");
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static TrainingConfig config(TrainingConfig.Phase phase, String version, int total) {
        return TrainingConfig.builder(phase, photos, cartoons, dir.resolve("ws")).totalIter(total)
                .batchSize(2).imageSize(32).saveEvery(2).modelVersion(version).device("cpu").build();
    }

    private static TrainingEvent runToEnd(TrainingConfig c, List<TrainingEvent> events) throws Exception {
        return engine.startTraining(c, events::add).completion().get(120, TimeUnit.SECONDS);
    }

    @Test
    void pretrainThenTrainThenCartoonize() throws Exception {
        List<TrainingEvent> pre = new CopyOnWriteArrayList<>();
        TrainingEvent end = runToEnd(config(TrainingConfig.Phase.PRETRAIN, "pre", 3), pre);
        assertInstanceOf(TrainingEvent.RunFinished.class, end, () -> end.toString());
        Path preCkpt = ((TrainingEvent.RunFinished) end).lastCheckpoint();
        assertTrue(Files.exists(preCkpt));

        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        LossWeights weights = new LossWeights(2e4, 0.3, 2, 150, 50, 7);
        TrainingEvent trained = runToEnd(config(TrainingConfig.Phase.TRAIN, "e2e", 3).toBuilder().init(preCkpt)
                .weights(weights).build(), events);
        assertInstanceOf(TrainingEvent.RunFinished.class, trained, () -> trained.toString());
        var steps = events.stream().filter(e -> e instanceof TrainingEvent.StepCompleted)
                .map(e -> (TrainingEvent.StepCompleted) e).toList();
        assertEquals(3, steps.get(steps.size() - 1).iteration());
        Map<String, Double> losses = steps.get(steps.size() - 1).losses();
        for (String k : List.of("tv", "surface", "texture", "content", "structure", "landmark", "g_total", "d_surface",
                "d_texture")) {
            assertTrue(losses.containsKey(k) && Double.isFinite(losses.get(k)), k + " in " + losses);
        }
        double weighted = 0;
        for (LossTerm t : LossTerm.values()) {
            weighted += weights.get(t) * losses.get(t.key());
        }
        assertEquals(weighted, losses.get("g_total"), 1e-4 * Math.abs(weighted), "g_total = sum of w_i * term_i");
        var preview = events.stream().filter(e -> e instanceof TrainingEvent.PreviewReady)
                .map(e -> (TrainingEvent.PreviewReady) e).findFirst().orElseThrow();
        List<String> names = preview.images().stream().map(TrainingEvent.NamedImage::name).toList();
        assertTrue(names.containsAll(List.of("photo", "output", "surface", "texture", "structure", "landmark")),
                names.toString());

        Path ckpt = ((TrainingEvent.RunFinished) trained).lastCheckpoint();
        CartoonResult r = engine.cartoonize(photos.resolve("photo_0.png"), new ModelChoice.Checkpoint(ckpt),
                CartoonOptions.defaults());
        assertEquals(48, r.cartoon().width());
        assertEquals(r.source().height(), r.cartoon().height());
        assertTrue(engine.checkpoints().stream().anyMatch(c -> c.path().equals(ckpt)));
    }

    @Test
    void aModelFineTunedFromAPretrainingKeepsItAsItsBaseAndStrengthZeroReproducesIt() throws Exception {
        TrainingEvent pre = runToEnd(config(TrainingConfig.Phase.PRETRAIN, "base-pre", 2), new CopyOnWriteArrayList<>());
        Path preCkpt = ((TrainingEvent.RunFinished) pre).lastCheckpoint();
        TrainingEvent trained = runToEnd(config(TrainingConfig.Phase.TRAIN, "base-train", 2).toBuilder().init(preCkpt).build(),
                new CopyOnWriteArrayList<>());
        Path ckpt = ((TrainingEvent.RunFinished) trained).lastCheckpoint();
        CheckpointFile file = CheckpointFile.read(ckpt);
        assertArrayEquals(CheckpointFile.read(preCkpt).section("generator"), file.section(CheckpointFile.BASE_GENERATOR),
                "the base is the pretraining's generator");
        // Resuming keeps it; export keeps it.
        TrainingEvent resumed = runToEnd(config(TrainingConfig.Phase.TRAIN, "base-train", 3).toBuilder().resume(true).build(),
                new CopyOnWriteArrayList<>());
        Path later = ((TrainingEvent.RunFinished) resumed).lastCheckpoint();
        assertTrue(CheckpointFile.read(later).sections().containsKey(CheckpointFile.BASE_GENERATOR));
        Path model = dir.resolve("with-base.ftc");
        ModelExport.export(later, model, new com.google.gson.JsonObject());
        assertTrue(CheckpointFile.read(model).sections().containsKey(CheckpointFile.BASE_GENERATOR));

        Path photo = photos.resolve("photo_1.png");
        CartoonResult zero = engine.cartoonize(photo, new ModelChoice.Checkpoint(model), new CartoonOptions(0, 0));
        CartoonResult base = engine.cartoonize(photo, new ModelChoice.Checkpoint(preCkpt), CartoonOptions.defaults());
        assertEquals("", zero.note(), "interpolated, not blended");
        assertArrayEquals(base.cartoon().argb(), zero.cartoon().argb(), "strength 0 is the base generator");
        CartoonResult one = engine.cartoonize(photo, new ModelChoice.Checkpoint(model), CartoonOptions.defaults());
        CartoonResult direct = engine.cartoonize(photo, new ModelChoice.Checkpoint(later), CartoonOptions.defaults());
        assertArrayEquals(direct.cartoon().argb(), one.cartoon().argb(), "strength 1 is the trained generator");
        assertFalse(java.util.Arrays.equals(zero.cartoon().argb(), one.cartoon().argb()));
    }

    @Test
    void aCompactTrainingStateResumesInAnotherRunFolder() throws Exception {
        TrainingEvent trained = runToEnd(config(TrainingConfig.Phase.TRAIN, "compact-src", 2), new CopyOnWriteArrayList<>());
        Path full = ((TrainingEvent.RunFinished) trained).lastCheckpoint();
        Path moved = Files.createDirectories(dir.resolve("ws/runs/compact-dst")).resolve(full.getFileName());
        ModelExport.compact(full, moved, true);
        assertTrue(Files.size(moved) * 2 < Files.size(full), "no optimiser moments");
        assertEquals("compact", CheckpointFile.read(moved).header().get("kind").getAsString());
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        TrainingEvent resumed = runToEnd(config(TrainingConfig.Phase.TRAIN, "compact-dst", 3).toBuilder().resume(true).build(), events);
        assertInstanceOf(TrainingEvent.RunFinished.class, resumed, () -> resumed.toString());
        assertEquals(3, ((TrainingEvent.RunFinished) resumed).iteration());
        assertTrue(events.stream().anyMatch(e -> e instanceof TrainingEvent.Notice n && n.message().contains("compact")),
                "the user is told the moments start afresh");
    }

    @Test
    void resumeGivesTheSameNextStepLossesAsAnUninterruptedRun() throws Exception {
        Map<Integer, Map<String, Double>> full = losses(config(TrainingConfig.Phase.TRAIN, "whole", 4));
        TrainingEvent half = runToEnd(config(TrainingConfig.Phase.TRAIN, "split", 2), new CopyOnWriteArrayList<>());
        assertInstanceOf(TrainingEvent.RunFinished.class, half);
        Map<Integer, Map<String, Double>> resumed = losses(config(TrainingConfig.Phase.TRAIN, "split", 4).toBuilder().resume(true).build());
        assertEquals(java.util.Set.of(3, 4), resumed.keySet());
        for (int it : new int[] {3, 4}) {
            for (var e : full.get(it).entrySet()) {
                assertEquals(e.getValue(), resumed.get(it).get(e.getKey()), 1e-6 * Math.max(1, Math.abs(e.getValue())),
                        "iteration " + it + " " + e.getKey());
            }
        }
    }

    private static Map<Integer, Map<String, Double>> losses(TrainingConfig c) throws Exception {
        Map<Integer, Map<String, Double>> out = new ConcurrentHashMap<>();
        TrainingEvent end = engine.startTraining(c, e -> {
            if (e instanceof TrainingEvent.StepCompleted s) {
                out.put(s.iteration(), s.losses());
            }
        }).completion().get(120, TimeUnit.SECONDS);
        assertInstanceOf(TrainingEvent.RunFinished.class, end, () -> end.toString());
        return out;
    }
}
