package io.github.facetoon.cli;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.EngineRuntime;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: full White-box + landmark training, the original project's {@code train.py} with its flags. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the cartoonizer (White-box representations + landmark term).",
            "Generator loss: w0*TV + w1*surface + w2*texture + w3*content + w4*structure + w5*landmark."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Mixin
    TrainingOptions training;

    @Option(names = "--photos", required = true, paramLabel = "DIR", description = "Folder of face photos (searched recursively).")
    Path photos;

    @Option(names = "--cartoons", required = true, paramLabel = "DIR", description = "Folder of cartoon images (searched recursively).")
    Path cartoons;

    @Option(names = "--total_iter", paramLabel = "N", defaultValue = "100000",
            description = "Iteration to stop at (default: ${DEFAULT-VALUE}).")
    int totalIter;

    @Option(names = "--model_version", paramLabel = "V", defaultValue = "1",
            description = "Model version: names the run folder in the workspace (default: ${DEFAULT-VALUE}).")
    String modelVersion;

    // The weights' flags, help names and defaults are LossTerm's (TrainCommandTest checks that they agree).
    @Option(names = "--w0", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_TV,
            description = "Total-variation weight (default: ${DEFAULT-VALUE}).")
    double w0;
    @Option(names = "--w1", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_SURFACE,
            description = "Surface (guided-filter) GAN weight (default: ${DEFAULT-VALUE}).")
    double w1;
    @Option(names = "--w2", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_TEXTURE,
            description = "Texture (colour-shift grey) GAN weight (default: ${DEFAULT-VALUE}).")
    double w2;
    @Option(names = "--w3", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_CONTENT,
            description = "Content weight (default: ${DEFAULT-VALUE}).")
    double w3;
    @Option(names = "--w4", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_STRUCTURE,
            description = "Structure (superpixel) weight (default: ${DEFAULT-VALUE}).")
    double w4;
    @Option(names = "--w5", paramLabel = "W", defaultValue = "" + LossWeights.DEFAULT_LANDMARK,
            description = "Landmark weight (default: ${DEFAULT-VALUE}).")
    double w5;

    @Option(names = "--init", paramLabel = "CKPT", description = "Start the generator from this checkpoint (e.g. a pretrained one; "
            + "default: the newest pretraining in the workspace, else the bundled model's pretrained generator).")
    Path init;

    @Option(names = "--resume", description = {"Continue the newest checkpoint of this model version, with its learning rate "
        + "and loss weights; --lr and --w0..--w5 given here replace them."})
    boolean resume;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + TrainingConfig.DEFAULT_LEARNING_RATE, description = "Adam learning rate (default: ${DEFAULT-VALUE}; with --resume, the checkpoint's unless given).")
    double lr;

    @Option(names = "--content_net", paramLabel = "FILE",
            description = {"A TorchScript file of VGG19 features (up to conv4_4, before its ReLU) for the content and "
                + "structure terms, as the paper uses; or 'pixels': both terms compare pixels (the content term then "
                + "holds the target's exact tones and strokes, the structure term pulls regions flat); default: the "
                + "bundled feature network.",
                "Loading a TorchScript file runs code from it: use only files you made or trust (docs/perception.md)."})
    Path contentNet;

    @Option(names = "--structure_net", paramLabel = "FILE",
            description = "The structure term's own network, when it should differ from the content term's: "
                + "'pixels' (the output is pulled toward its flat superpixel regions pixel by pixel, while the "
                + "content term keeps the target's strokes in the content network's features) or a TorchScript file; "
                + "default: the content network.")
    Path structureNet;

    @Option(names = "--data_parallel",
            description = "Split every batch across all GPUs DJL sees (data-parallel training; off by default). "
                + "To pick GPUs, use --device gpu:0,1 instead.")
    boolean dataParallel;

    /** The device specification from --device and --data_parallel. */
    String device() {
        if (!dataParallel) {
            return shared.device;
        }
        String d = shared.device.trim().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("auto") || d.equals("gpu") || d.equals(EngineRuntime.ALL_GPUS)) {
            return EngineRuntime.ALL_GPUS;
        }
        if (d.startsWith("gpu:") && d.contains(",")) {
            return shared.device;
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "--data_parallel splits batches across GPUs; it cannot be combined with --device " + shared.device);
    }

    @Option(names = "--from_scratch", description = "Without --init: start the generator from random weights instead of "
            + "the newest pretraining in the workspace or the bundled model's pretrained generator (the default).")
    boolean fromScratch;

    @Option(names = "--target", paramLabel = "T", defaultValue = "photo",
            description = {"What the content term keeps the cartoon near: photo (White-box's, the default) or cartoon "
                + "(the photo with flat smoothed colour and dark outlines, as pretrain --target cartoon; the photo's "
                + "content without its gradients and pores) or inked (the same with paler skin, darker hair and thinner, "
                + "darker outlines); resume with the same target."})
    String target;

    /** The weights from the flags, each missing one at its default. */
    LossWeights weights() {
        return new LossWeights(w0, w1, w2, w3, w4, w5);
    }

    /** The weights typed on the command line (the others are at their defaults). */
    Map<LossTerm, Double> givenWeights() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        LossWeights all = weights();
        Map<LossTerm, Double> m = new EnumMap<>(LossTerm.class);
        for (LossTerm t : LossTerm.values()) {
            if (parsed.hasMatchedOption(t.flag())) {
                m.put(t, all.get(t));
            }
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        return TrainingCommands.run(spec, shared, () -> training.apply(TrainingConfig
                .builder(TrainingConfig.Phase.TRAIN, photos, cartoons, shared.workspace().root()), shared)
                .totalIter(totalIter).modelVersion(modelVersion).init(init).resume(resume).learningRate(lr)
                .weights(weights()).device(device()).contentNet(contentNet).structureNet(structureNet)
                .target(TrainingConfig.Target.parse(target))
                .resumeOverrides(TrainingCommands.resumeOverrides(spec, givenWeights())).build(), fromScratch);
    }
}
