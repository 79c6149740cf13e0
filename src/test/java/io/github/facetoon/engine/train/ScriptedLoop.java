package io.github.facetoon.engine.train;

import io.github.facetoon.config.LossWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** A training loop without networks: its "state" is a counter, and it records what each step saw. */
final class ScriptedLoop implements TrainingLoop {

    final List<LossWeights> weightsSeen = new ArrayList<>();
    final List<Integer> iterations = new ArrayList<>();
    long state;
    double lr = 2e-4;
    IntPredicate nanAt = i -> false;
    IntPredicate flatAt = i -> false;
    private boolean flat;
    volatile Runnable onStep = () -> { };

    @Override
    public Map<String, Double> step(int iteration, LossWeights weights) {
        onStep.run();
        iterations.add(iteration);
        weightsSeen.add(weights);
        state = state * 31 + iteration;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("g_total", nanAt.test(iteration) ? Double.NaN : 1.0 / iteration);
        flat = flatAt.test(iteration);
        m.put("tv", weights.tv());
        return m;
    }

    @Override
    public boolean outputCollapsed() {
        return flat;
    }

    @Override
    public List<TrainingEvent.NamedImage> preview(List<String> notes) {
        return List.of();
    }

    @Override
    public Map<String, byte[]> saveState() {
        return Map.of("state", ByteBuffer.allocate(8).putLong(state).array(),
                "lr", ByteBuffer.allocate(8).putDouble(lr).array());
    }

    @Override
    public void loadState(CheckpointFile checkpoint) throws IOException {
        state = ByteBuffer.wrap(checkpoint.section("state")).getLong();
        lr = ByteBuffer.wrap(checkpoint.section("lr")).getDouble();
    }

    @Override
    public void loadGenerator(CheckpointFile checkpoint) {
        state = ByteBuffer.wrap(checkpoint.section("state")).getLong();
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    @Override
    public void close() {
    }
}
