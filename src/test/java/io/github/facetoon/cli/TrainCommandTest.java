package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.config.LossTerm;
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
        assertEquals(Map.of(LossTerm.SURFACE, 0.3, LossTerm.CONTENT, 50.0), o.weights());
        assertEquals(LossWeights.defaults().with(LossTerm.SURFACE, 0.3).with(LossTerm.CONTENT, 50.0), cmd.weights());
    }

    @Test
    void eachWeightFlagIsItsTermsWithItsDefaultAndName() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new TrainCommand()).getCommandSpec();
        for (LossTerm t : LossTerm.values()) {
            CommandLine.Model.OptionSpec o = spec.findOption(t.flag());
            assertEquals(t.defaultWeight(), Double.parseDouble(o.defaultValue()), t.flag());
            assertTrue(String.join(" ", o.description()).startsWith(t.helpName()), t.flag() + ": " + o.description()[0]);
        }
        assertEquals(LossWeights.defaults(), parse("--photos", "p", "--cartoons", "c").weights());
    }
}
