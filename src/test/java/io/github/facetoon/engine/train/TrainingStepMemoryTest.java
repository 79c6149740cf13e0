package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training step's gradients do not depend on garbage collection between its forward and backward pass: two
 * identical loops, one of them churning the collector and overwriting freed native memory with NaN bytes right
 * before the backward pass, reach identical losses on the next step. (Arrays created from Java data borrow Java
 * memory on the CPU; any of them that autograd keeps but the code closes early breaks this.)
 */
class TrainingStepMemoryTest {

    @TempDir
    Path dir;

    @Test
    void nextStepLossesAreIdenticalWithAndWithoutGarbageCollection() throws Exception {
        EngineRuntime.ensureConfigured();
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 4, 48, 1);
        Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("c"), 4, 48, 2);
        TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.TRAIN, photos, cartoons, dir.resolve("ws"))
                .batchSize(2).imageSize(32).device("cpu").build();
        Map<String, Double> quiet = secondStep(c, false);
        Map<String, Double> churned = secondStep(c, true);
        for (var e : quiet.entrySet()) {
            assertEquals(e.getValue(), churned.get(e.getKey()), 1e-6 * Math.max(1, Math.abs(e.getValue())), e.getKey());
        }
    }

    private static Map<String, Double> secondStep(TrainingConfig c, boolean churn) throws Exception {
        try (TrainingLoop loop = TrainingLoops.create(c, Device.cpu(), e -> { })) {
            CartoonTrainingLoop l = (CartoonTrainingLoop) loop;
            if (churn) {
                l.beforeBackward = TrainingStepMemoryTest::churnMemory;
            }
            loop.step(1, c.weights());
            return loop.step(2, c.weights());
        }
    }

    private static void churnMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<ByteBuffer> keep = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(64 * (1 + i % 16));
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                keep.add(b);
            }
        }
    }
}
