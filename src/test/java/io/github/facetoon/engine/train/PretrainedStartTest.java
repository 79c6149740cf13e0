package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.infer.Cartoonizer;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedStartTest {

    @TempDir
    Path dir;

    @Test
    void withoutAPretrainingItIsTheBundledModelsBaseGenerator() throws Exception {
        PretrainedStart start = PretrainedStart.find(new Workspace(dir)).orElseThrow();
        assertEquals(dir.resolve(PretrainedStart.BUNDLED_BASE), start.checkpoint());
        CheckpointFile written = CheckpointFile.read(start.checkpoint());
        CheckpointFile bundled;
        try (InputStream in = Cartoonizer.class.getResourceAsStream(Cartoonizer.BUNDLED_RESOURCE)) {
            bundled = CheckpointFile.parse(Path.of("bundled"), in.readAllBytes());
        }
        assertArrayEquals(bundled.section(CheckpointFile.BASE_GENERATOR), written.section(PretrainLoop.GENERATOR));
        assertEquals("PRETRAIN", written.header().get("phase").getAsString());
        assertArrayEquals(written.section(PretrainLoop.GENERATOR), RunCheckpoints.baseOf(written),
                "a model trained from it keeps it as its base (the strength control)");
    }

    @Test
    void theNewestPretrainingOfTheWorkspaceComesFirst() throws Exception {
        write("old-pre", 800, TrainingConfig.Phase.PRETRAIN, Instant.parse("2026-01-01T00:00:00Z"));
        write("new-pre", 200, TrainingConfig.Phase.PRETRAIN, Instant.parse("2026-02-01T00:00:00Z"));
        write("trained", 900, TrainingConfig.Phase.TRAIN, Instant.parse("2026-03-01T00:00:00Z"));
        PretrainedStart start = PretrainedStart.find(new Workspace(dir)).orElseThrow();
        assertTrue(start.checkpoint().endsWith(Path.of("runs/new-pre/iter-00000200.ftc")), start.toString());
        assertTrue(start.description().contains("'new-pre' at iteration 200"), start.description());
    }

    private void write(String run, int iteration, TrainingConfig.Phase phase, Instant saved) throws Exception {
        JsonObject h = new JsonObject();
        h.addProperty("kind", CheckpointHeader.KIND_FULL);
        h.addProperty("phase", phase.name());
        h.addProperty("iteration", iteration);
        h.addProperty("modelVersion", run);
        h.addProperty("savedAt", saved.toString());
        new CheckpointFile(h, Map.of(PretrainLoop.GENERATOR, new byte[] {1})).write(
                new CheckpointStore(dir.resolve("runs").resolve(run), 5, 0).pathFor(iteration));
    }
}
