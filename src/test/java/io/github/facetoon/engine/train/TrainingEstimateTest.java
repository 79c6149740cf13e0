package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingEstimateTest {

    @TempDir
    Path dir;

    @Test
    void aFewRealStepsGiveTheTimeAndMemoryOfTheRunAndLeaveNothingBehind() throws Exception {
        Path ws = dir.resolve("ws");
        try (StudioEngine engine = StudioEngines.open(new Workspace(ws), "cpu")) {
            TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.TRAIN, dir.resolve("photos"),
                    dir.resolve("cartoons"), ws).batchSize(2).imageSize(32).totalIter(500).device("cpu").build();
            TrainingEstimate e = engine.estimate(c);
            assertTrue(e.secondsPerStep() > 0 && e.secondsPerStep() < 60, e.toString());
            assertEquals(500 * e.secondsPerStep(), e.totalSeconds(), 1e-9);
            assertTrue(e.memoryBytes() >= 0, e.toString());
            assertTrue(!Files.exists(ws.resolve("runs")), "no run written for an estimate");
        }
    }
}
