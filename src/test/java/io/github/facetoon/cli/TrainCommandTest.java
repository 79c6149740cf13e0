package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.ResumeOverrides;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

    private static TrainCommand parse(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    private static ResumeOverrides overrides(TrainCommand cmd) {
        return TrainingCommands.resumeOverrides(cmd.spec, cmd.givenWeights());
    }

    @Test
    void aPlainResumeOverridesNothing() {
        TrainCommand cmd = parse("--photos", "p", "--cartoons", "c", "--resume");
        assertTrue(overrides(cmd).isEmpty(), "the defaults of --lr and --w* must not replace the checkpoint's");
        assertEquals(LossWeights.defaults(), cmd.weights());
    }

    @Test
    void typedRateAndWeightsOverrideTheCheckpoint() {
        TrainCommand cmd = parse("--photos", "p", "--cartoons", "c", "--resume", "--lr", "5e-5", "--w3", "50", "--w1=0.3");
        ResumeOverrides o = overrides(cmd);
        assertEquals(OptionalDouble.of(5e-5), o.learningRate());
        assertEquals(Map.of(1, 0.3, 3, 50.0), o.weights());
        assertEquals(LossWeights.defaults().with(1, 0.3).with(3, 50.0), cmd.weights());
    }
}
