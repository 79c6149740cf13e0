package io.github.facetoon.cli;

import com.google.gson.JsonObject;
import io.github.facetoon.engine.train.ModelExport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export}: writes the generator of a training checkpoint as a model file to share or to bundle
 * ({@code checkpoints/facetoon-default.ftc} is made this way).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the generator of a checkpoint as a model file (no discriminators, no optimiser state, "
                + "no machine paths), for sharing or as the bundled default model.")
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint (.ftc) from a training.")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model file to write (.ftc).")
    Path out;

    @Option(names = "--name", paramLabel = "TEXT", description = "A name recorded in the model's header.")
    String name;

    @Option(names = "--compact",
            description = "Write the compact, resumable state of a training instead of a model: the generator and both "
                    + "discriminators without the optimisers' moments (a third of a checkpoint). Put it into a run's "
                    + "folder and --resume continues from it on any machine.")
    boolean compact;

    @Option(names = "--without_base", description = "With --compact: leave the base generator out (keep it elsewhere).")
    boolean withoutBase;

    @Option(names = "--base", paramLabel = "CHECKPOINT",
            description = "The pretraining checkpoint the model was fine-tuned from, kept in the model for the strength "
                    + "control (default: the base the checkpoint records, if any).")
    Path base;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(checkpoint)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such checkpoint file: " + checkpoint);
        }
        if (Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out is a folder; give a file name: " + out);
        }
        if (compact) {
            if (base != null || name != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compact takes neither --base nor --name");
            }
            JsonObject h = ModelExport.compact(checkpoint, out, !withoutBase);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d KiB): compact training state of %s at iteration %s%n",
                    out, Files.size(out) / 1024, checkpoint.getFileName(), h.get("iteration").getAsString());
            return 0;
        }
        if (withoutBase) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--without_base goes with --compact");
        }
        JsonObject extra = new JsonObject();
        if (name != null) {
            extra.addProperty("name", name);
        }
        if (base != null && !Files.isRegularFile(base)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base: no such checkpoint file: " + base);
        }
        JsonObject h = ModelExport.export(checkpoint, out, extra, base);
        PrintWriter o = spec.commandLine().getOut();
        boolean withBase = base != null || io.github.facetoon.engine.train.CheckpointFile.read(out).sections()
                .containsKey(io.github.facetoon.engine.train.CheckpointFile.BASE_GENERATOR);
        o.printf(Locale.ROOT, "wrote %s (%d KiB): generator of %s at iteration %s%s%n", out, Files.size(out) / 1024,
                checkpoint.getFileName(), h.has("iteration") ? h.get("iteration").getAsString() : "?",
                withBase ? ", with its base generator (strength by interpolation)" : ", no base generator (strength by blending)");
        return 0;
    }
}
