package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training computes the whole batch's step: two replicas that each take half of a batch (here both
 * on the CPU, which exercises the splitting, the threads, the normaliser agreement, the gradient averaging and the
 * parameter copies as on several GPUs) give the same losses and the same averaged gradients as one replica on the
 * whole batch, and leave every replica with identical parameters.
 */
class DataParallelTrainingTest {

    @TempDir
    Path dir;
    TrainingConfig config;

    @BeforeEach
    void data() throws Exception {
        EngineRuntime.ensureConfigured();
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("p"), 6, 48, 11);
        Path cartoons = SyntheticPhotos.writeCartoons(dir.resolve("c"), 6, 48, 12);
        config = TrainingConfig.builder(TrainingConfig.Phase.TRAIN, photos, cartoons, dir.resolve("ws"))
                .batchSize(5).imageSize(32).device("cpu").seed(5).build();
    }

    record StepResult(Map<String, Double> losses, List<float[]> gradients) {}

    @Test
    void twoReplicasComputeTheWholeBatchsStep() throws Exception {
        // every term but the landmark one, which averages over the faces of each share (documented deviation)
        double[] weights = LossWeights.defaults().toArray();
        weights[5] = 0;
        LossWeights w = LossWeights.fromArray(weights);
        StepResult single = firstStep(List.of(Device.cpu()), w, null);
        List<List<float[]>> replicaParams = new ArrayList<>();
        StepResult split = firstStep(List.of(Device.cpu(), Device.cpu()), w, replicaParams);

        assertEquals(single.losses().keySet(), split.losses().keySet());
        assertTrue(single.losses().containsKey("content") && single.losses().containsKey("structure"));
        for (var e : single.losses().entrySet()) {
            double v = e.getValue();
            assertEquals(v, split.losses().get(e.getKey()), 1e-4 * Math.abs(v) + 1e-7, e.getKey());
        }
        double maxGrad = 0;
        double maxDiff = 0;
        for (int i = 0; i < single.gradients().size(); i++) {
            float[] a = single.gradients().get(i);
            float[] b = split.gradients().get(i);
            for (int j = 0; j < a.length; j++) {
                maxGrad = Math.max(maxGrad, Math.abs(a[j]));
                maxDiff = Math.max(maxDiff, Math.abs(a[j] - b[j]));
            }
        }
        assertTrue(maxGrad > 0, "the step has gradients");
        assertTrue(maxDiff <= 1e-4 * maxGrad, "averaged gradients = whole-batch gradients: max difference " + maxDiff
                + " of max " + maxGrad);
        // after the update every replica holds replica 0's parameters, spectral-norm vectors included
        for (int i = 0; i < replicaParams.get(0).size(); i++) {
            assertArrayEquals(replicaParams.get(0).get(i), replicaParams.get(1).get(i), "parameter " + i);
        }
    }

    @Test
    void aBatchSmallerThanTheDeviceCountIsRefused() {
        TrainingConfig tiny = config.toBuilder().batchSize(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingLoops.create(tiny, List.of(Device.cpu(), Device.cpu()), ev -> { }).close());
        assertTrue(e.getMessage().contains("--batch_size 2"), e.getMessage());
    }

    @Test
    void batchesSplitAsEvenlyAsPossible() {
        assertArrayEquals(new int[] {3, 2}, DataParallel.shareSizes(5, 2));
        assertArrayEquals(new int[] {4, 4, 4, 4}, DataParallel.shareSizes(16, 4));
        assertArrayEquals(new int[] {2, 1, 1}, DataParallel.shareSizes(4, 3));
    }

    /**
     * Step 1's losses and replica 0's gradients just before its update (later steps start from parameters that
     * rounding has already made differ in the last bits, which Adam's first steps magnify for near-zero
     * gradients); then a second step, which must run as well.
     */
    private StepResult firstStep(List<Device> devices, LossWeights w, List<List<float[]>> paramsAfter)
            throws Exception {
        try (TrainingLoop loop = TrainingLoops.create(config, devices, e -> { })) {
            CartoonTrainingLoop l = (CartoonTrainingLoop) loop;
            List<float[]> grads = new ArrayList<>();
            l.beforeUpdate = () -> {
                CartoonReplica r = l.replica(0);
                for (List<Parameter> ps : List.of(r.generatorParameters, r.discriminatorParameters)) {
                    for (Parameter p : ps) {
                        try (NDArray g = p.getArray().getGradient()) {
                            grads.add(g.toFloatArray());
                        }
                    }
                }
            };
            Map<String, Double> losses = loop.step(1, w);
            l.beforeUpdate = () -> { };
            if (paramsAfter != null) {
                for (int k = 0; k < devices.size(); k++) {
                    List<float[]> values = new ArrayList<>();
                    for (Parameter p : DataParallel.allParameters(l.replica(k))) {
                        values.add(p.getArray().toFloatArray());
                    }
                    paramsAfter.add(values);
                }
            }
            Map<String, Double> next = loop.step(2, w);
            assertTrue(next.values().stream().allMatch(Double::isFinite), "step 2: " + next);
            return new StepResult(losses, grads);
        }
    }
}
