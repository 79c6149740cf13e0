package io.github.facetoon.engine.train;

import io.github.facetoon.config.TrainingConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a scripted training (no networks) in a test's folder. */
final class ScriptedRuns {

    private ScriptedRuns() {}

    static TrainingEvent runScripted(Path dir, int total, boolean resume) throws Exception {
        TrainingConfig c = TrainingConfig.builder(TrainingConfig.Phase.TRAIN, dir.resolve("photos"), dir.resolve("cartoons"),
                dir.resolve("ws")).totalIter(total).saveEvery(3).modelVersion("t").resume(resume).build();
        return new TrainingRunner(c, ScriptedLoop::new, e -> { }).start().completion().get(30, TimeUnit.SECONDS);
    }
}
