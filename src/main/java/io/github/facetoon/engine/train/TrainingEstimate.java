package io.github.facetoon.engine.train;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.NativeMemory;
import io.github.facetoon.engine.NativeThreads;
import io.github.facetoon.engine.bench.ProcessMemory;
import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What a run will cost on this machine, measured before it starts: a few real steps of the same phase, size, batch
 * and loss terms on synthetic images (the first one is not counted: the engine warms up), and the memory the process
 * grows by while they run.
 *
 * @param secondsPerStep the measured time of one step
 * @param totalSeconds what the run's remaining steps take at that pace
 * @param memoryBytes how much the process grew while the steps ran (peak resident size over the level before)
 */
public record TrainingEstimate(double secondsPerStep, double totalSeconds, long memoryBytes) {

    /** Steps timed after the warm-up step. */
    static final int TIMED_STEPS = 2;

    /**
     * Measures.
     *
     * @param config the run to estimate (its phase, size, batch, weights, device and total iterations)
     * @param devices where it would run
     * @param startIteration the iteration it would start from (0, or a resumed run's)
     * @return the estimate
     * @throws IOException when the networks cannot be loaded or the synthetic images written
     */
    public static TrainingEstimate measure(TrainingConfig config, List<Device> devices, int startIteration)
            throws IOException {
        Path tmp = Files.createTempDirectory("facetoon-estimate");
        AtomicLong peak = new AtomicLong();
        Thread sampler = null;
        try {
            int n = Math.max(config.batchSize(), 2);
            int side = config.imageSize() * 5 / 4;
            Path photos = SyntheticPhotos.writePhotos(tmp.resolve("photos"), n, side, 11);
            Path cartoons = SyntheticPhotos.writeCartoons(tmp.resolve("cartoons"), n, side, 12);
            TrainingConfig trial = TrainingConfig.builder(config.phase(), photos,
                            config.phase() == TrainingConfig.Phase.TRAIN ? cartoons : null, tmp.resolve("ws"))
                    .batchSize(config.batchSize()).imageSize(config.imageSize()).weights(config.weights())
                    .device(config.device()).target(config.target()).contentNet(config.contentNet())
                    .structureNet(config.structureNet())
                    .totalIter(1 + TIMED_STEPS).modelVersion("estimate").build();
            NativeThreads.apply();
            long before = ProcessMemory.now().rssBytes();
            peak.set(before);
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(ProcessMemory.now().rssBytes(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "facetoon-estimate-memory");
            sampler.setDaemon(true);
            sampler.start();
            double total = 0;
            try (TrainingLoop loop = TrainingLoops.create(trial, devices, e -> { })) {
                loop.step(1, trial.weights());
                for (int i = 2; i <= 1 + TIMED_STEPS; i++) {
                    long t0 = System.nanoTime();
                    loop.step(i, trial.weights());
                    total += (System.nanoTime() - t0) / 1e9;
                }
            }
            sampler.interrupt();
            double perStep = total / TIMED_STEPS;
            long grew = before < 0 ? -1 : Math.max(0, peak.get() - before);
            int left = Math.max(0, config.totalIter() - startIteration);
            return new TrainingEstimate(perStep, perStep * left, grew);
        } finally {
            if (sampler != null) {
                sampler.interrupt();
            }
            NativeMemory.release();
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a temporary folder the system cleans
            }
        }
    }
}
