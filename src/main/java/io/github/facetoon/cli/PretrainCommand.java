package io.github.facetoon.cli;

import io.github.facetoon.config.TrainingConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretrain}: trains the generator to reproduce photos (pixel L1), as the original FacialCartoonization project's {@code pretrain.py} does. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain the generator to reproduce photos (pixel L1 of G(x) vs x).")
public final class PretrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Mixin
    TrainingOptions training;

    @Option(names = "--photos", required = true, paramLabel = "DIR", description = "Folder of face photos (searched recursively).")
    Path photos;

    @Option(names = "--total_iter", paramLabel = "N", defaultValue = "50000",
            description = "Iteration to stop at (default: ${DEFAULT-VALUE}).")
    int totalIter;

    @Option(names = "--model_version", paramLabel = "V", defaultValue = "pre",
            description = "Name of the run folder in the workspace (default: ${DEFAULT-VALUE}).")
    String modelVersion;

    @Option(names = "--resume", description = "Continue the newest checkpoint of this model version.")
    boolean resume;

    @Option(names = "--target", paramLabel = "T", defaultValue = "photo",
            description = {"What the generator learns to produce: photo (White-box's pretraining, the default) or "
                + "cartoon (a stylised warm start: the photo with flat smoothed colour and dark outlines, so that "
                + "train starts from a cartoon look) or inked (the same with paler skin, darker hair and thinner, darker "
                + "outlines); resume with the same target."})
    String target;

    @Option(names = "--init", paramLabel = "CKPT",
            description = "Start the generator from this checkpoint (e.g. a photo pretraining, for --target cartoon).")
    Path init;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + TrainingConfig.DEFAULT_LEARNING_RATE, description = "Adam learning rate (default: ${DEFAULT-VALUE}; with --resume, the checkpoint's unless given).")
    double lr;

    @Override
    public Integer call() throws Exception {
        return TrainingCommands.run(spec, shared, () -> training.apply(TrainingConfig
                .builder(TrainingConfig.Phase.PRETRAIN, photos, null, shared.workspace().root()), shared)
                .totalIter(totalIter).modelVersion(modelVersion).resume(resume).init(init).learningRate(lr)
                .device(shared.device).target(TrainingConfig.Target.parse(target))
                .resumeOverrides(TrainingCommands.resumeOverrides(spec, Map.of())).build(), false);
    }
}
