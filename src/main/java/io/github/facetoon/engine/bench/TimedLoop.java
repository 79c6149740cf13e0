package io.github.facetoon.engine.bench;

import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training loop that passes every call on and records, per step, the step time, the waits for data and
 * superpixels, and memory; per preview, its time. Used on the engine thread only; read the lists after the run.
 */
final class TimedLoop implements TrainingLoop {

    private final TrainingLoop inner;
    private final ProcessMemory.Peak peak;
    private final int settleAt;
    final List<Double> stepMillis = new ArrayList<>();
    final List<Double> dataWaitMillis = new ArrayList<>();
    final List<Double> superpixelWaitMillis = new ArrayList<>();
    final List<Double> previewMillis = new ArrayList<>();
    /** Settled memory readings: after step {@code settleAt}, then after every later step of {@link #settleEvery}. */
    final List<ProcessMemory.Sample> settled = new ArrayList<>();
    final List<Integer> settledSteps = new ArrayList<>();
    private final int settleEvery;

    /**
     * Wraps a loop.
     *
     * @param inner the real loop
     * @param peak tracks peak memory, sampled after every step and preview
     * @param settleAt the step after which the first settled (post-GC) memory reading is taken; 0 for none
     * @param settleEvery steps between later settled readings (the last step always gets one)
     */
    TimedLoop(TrainingLoop inner, ProcessMemory.Peak peak, int settleAt, int settleEvery) {
        this.inner = inner;
        this.peak = peak;
        this.settleAt = settleAt;
        this.settleEvery = Math.max(1, settleEvery);
    }

    /** The step time excluding settled readings, which run after it. */
    @Override
    public Map<String, Double> step(int iteration, LossWeights weights) {
        InputWaits before = inner.inputWaits();
        long start = System.nanoTime();
        Map<String, Double> losses = inner.step(iteration, weights);
        long end = System.nanoTime();
        InputWaits after = inner.inputWaits();
        stepMillis.add((end - start) / 1e6);
        dataWaitMillis.add((after.dataNanos() - before.dataNanos()) / 1e6);
        superpixelWaitMillis.add((after.superpixelNanos() - before.superpixelNanos()) / 1e6);
        peak.sample();
        return losses;
    }

    /**
     * Takes a settled memory reading if this step calls for one. The runner's step count is not known here, so
     * the drift check calls this from its listener.
     *
     * @param iteration the step just completed
     * @param last whether it is the last step
     */
    void maybeSettle(int iteration, boolean last) {
        if (settleAt > 0 && (iteration == settleAt || (iteration > settleAt && ((iteration - settleAt) % settleEvery == 0
                || last)))) {
            settled.add(ProcessMemory.settled());
            settledSteps.add(iteration);
        }
    }

    @Override
    public List<TrainingEvent.NamedImage> preview(List<String> notes) {
        long start = System.nanoTime();
        List<TrainingEvent.NamedImage> images = inner.preview(notes);
        previewMillis.add((System.nanoTime() - start) / 1e6);
        peak.sample();
        return images;
    }

    @Override
    public Map<String, byte[]> saveState() throws IOException {
        return inner.saveState();
    }

    @Override
    public void loadState(CheckpointFile checkpoint) throws IOException {
        inner.loadState(checkpoint);
    }

    @Override
    public void loadGenerator(CheckpointFile checkpoint) throws IOException {
        inner.loadGenerator(checkpoint);
    }

    @Override
    public double learningRate() {
        return inner.learningRate();
    }

    @Override
    public void setLearningRate(double lr) {
        inner.setLearningRate(lr);
    }

    @Override
    public String featureNetwork() {
        return inner.featureNetwork();
    }

    @Override
    public InputWaits inputWaits() {
        return inner.inputWaits();
    }

    @Override
    public void close() {
        inner.close();
    }
}
