package io.github.facetoon.cli;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.ResumeOverrides;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.train.RunExistsException;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingRun;
import java.io.PrintWriter;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/** Runs a training from the command line until it ends, stopping it cleanly on Ctrl-C. */
final class TrainingCommands {

    private TrainingCommands() {}

    /**
     * Builds the config (usage errors become exit code 2), runs the training and returns the exit code.
     *
     * @param spec the command's spec (for output and usage errors)
     * @param shared the shared options
     * @param configBuilder builds the configuration; may throw IllegalArgumentException for bad flags
     * @param fromScratch for a training without {@code --init}: start from random weights rather than the default
     *     pretrained generator ({@link StudioEngine#pretrainedStart()})
     * @return 0 when the run finished, 1 when it failed
     * @throws Exception when interrupted
     */
    static int run(CommandLine.Model.CommandSpec spec, SharedOptions shared,
                   java.util.function.Supplier<TrainingConfig> configBuilder, boolean fromScratch) throws Exception {
        TrainingConfig config;
        try {
            config = configBuilder.get();
            // a device that is not there is a usage error, found before anything is written
            EngineRuntime.resolveDevices(config.device());
            requireFolder("--photos", config.photos());
            if (config.phase() == TrainingConfig.Phase.TRAIN) {
                requireFolder("--cartoons", config.cartoons());
            }
            if (config.init() != null && !java.nio.file.Files.isRegularFile(config.init())) {
                throw new IllegalArgumentException("--init: " + config.init() + " is not a file");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = ConsoleProgress.onTerminal();
        try (StudioEngine engine = StudioEngines.open(shared.workspace().create(), config.device())) {
            out.println("FaceToon " + config.phase().name().toLowerCase() + " on " + engine.deviceInfo().description()
                    + " (" + engine.deviceInfo().engine() + ")" + "; workspace " + config.workspace());
            if (config.phase() == TrainingConfig.Phase.TRAIN && !config.resume() && config.init() == null && !fromScratch) {
                var start = engine.pretrainedStart();
                if (start.isPresent()) {
                    config = config.toBuilder().init(start.get().checkpoint()).build();
                    out.println("no --init given: the generator starts from " + start.get().description() + " ("
                            + start.get().checkpoint() + ")");
                } else {
                    out.println("no --init given and no pretrained generator found: starting from random weights "
                            + "(run pretrain first for a usable start)");
                }
            }
            TrainingRun run;
            try {
                run = engine.startTraining(config, new ConsoleProgress(out, spec.commandLine().getErr(), terminal, 10));
            } catch (RunExistsException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the run '" + e.name()
                        + "' already has checkpoints (the newest at iteration " + e.newestIteration() + ") in "
                        + e.folder() + ": add --resume to continue it, or start a new run with --model_version "
                        + e.freeName(), e);
            }
            run.setPreviewsEnabled(false);
            Thread hook = new Thread(() -> {
                run.cancel();
                try {
                    run.completion().get();
                } catch (InterruptedException | ExecutionException ignored) {
                    // exiting anyway
                }
            }, "facetoon-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            TrainingEvent end = run.completion().get();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            return end instanceof TrainingEvent.RunFinished ? 0 : FaceToonCli.EXIT_FAILURE;
        }
    }

    private static void requireFolder(String flag, java.nio.file.Path folder) {
        if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
            throw new IllegalArgumentException(flag + ": " + folder + (java.nio.file.Files.exists(folder)
                    ? " is not a folder" : ": folder not found"));
        }
    }

    /**
     * What the command line says should win over a resumed checkpoint: the learning rate when {@code --lr} was
     * typed, and the weights that were given.
     *
     * @param spec the command
     * @param givenWeights the loss weights typed on the command line
     * @return the overrides
     */
    static ResumeOverrides resumeOverrides(CommandLine.Model.CommandSpec spec, Map<LossTerm, Double> givenWeights) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        OptionalDouble lr = parsed.hasMatchedOption("--lr")
                ? OptionalDouble.of(parsed.matchedOptionValue("--lr", 0.0)) : OptionalDouble.empty();
        return new ResumeOverrides(lr, givenWeights);
    }
}
