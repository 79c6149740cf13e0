package io.github.facetoon.cli;

import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.ExportedFile;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
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
 * ({@code checkpoints/facetoon-default.ftc} is made this way), or any model as an ONNX file other programs run.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the generator of a checkpoint as a model file (no discriminators, no optimiser state, "
                + "no machine paths), for sharing or as the bundled default model.",
            "With --format onnx: write a model (a checkpoint, a model file or 'bundled') as an ONNX file that other "
                + "programs run (ONNX Runtime, OpenCV, a web page): docs/export.md."})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint (.ftc) from a training; with "
            + "--format onnx also a model file or 'bundled'.")
    Path checkpoint;

    @Parameters(index = "1..*", paramLabel = "MORE", description = "More checkpoints of the same run: the model's "
            + "generator is then the average of all their generators (checkpoint averaging: steadier than any one of "
            + "them when a training's checkpoints swing around a look); its header and base are the last one's.")
    java.util.List<Path> more = new java.util.ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (.ftc, or .onnx).")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ftc",
            description = "ftc (a FaceToon model file, the default) or onnx.")
    String format;

    @Option(names = {"--with-filter", "--with_filter"},
            description = "With --format onnx: put the inference guided filter inside the graph, so that its output is "
                    + "the cartoon itself (at the size it was given) rather than the generator's raw output.")
    boolean withFilter;

    @Option(names = "--strength", paramLabel = "S", defaultValue = "1",
            description = "With --format onnx: the strength built into the weights, 0 to 2 (default: ${DEFAULT-VALUE}; "
                    + "other values need a model that keeps its base generator).")
    double strength;

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
        String kind = format.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("ftc") && !kind.equals("onnx")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be ftc or onnx, got '" + format + "'");
        }
        if (kind.equals("onnx")) {
            return exportOnnx();
        }
        if (withFilter || strength != 1.0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--with-filter and --strength go with --format onnx");
        }
        java.util.List<Path> all = new java.util.ArrayList<>(java.util.List.of(checkpoint));
        all.addAll(more);
        for (Path c : all) {
            if (!Files.isRegularFile(c)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such checkpoint file: " + c);
            }
        }
        if (Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out is a folder; give a file name: " + out);
        }
        if (compact) {
            if (base != null || name != null || !more.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--compact takes one checkpoint and neither --base nor --name");
            }
            try (StudioEngine engine = StudioEngines.open(shared(), "cpu")) {
                ExportedFile f = engine.exportTrainingState(checkpoint, out, !withoutBase);
                spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d KiB): compact training state of %s at "
                        + "iteration %d%n", out, f.bytes() / 1024, checkpoint.getFileName(), f.iteration());
            }
            return 0;
        }
        if (withoutBase) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--without_base goes with --compact");
        }
        if (base != null && !Files.isRegularFile(base)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base: no such checkpoint file: " + base);
        }
        try (StudioEngine engine = StudioEngines.open(shared(), "cpu")) {
            ExportedFile f = engine.exportModel(all, out, name, base);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d KiB): generator of %s at iteration %d%s%n",
                    out, f.bytes() / 1024, more.isEmpty() ? checkpoint.getFileName()
                            : "the average of " + all.size() + " checkpoints, the last", f.iteration(), f.withBase()
                            ? ", with its base generator (strength by interpolation)"
                            : ", no base generator (strength by blending)");
        }
        return 0;
    }

    private int exportOnnx() throws Exception {
        if (compact || withoutBase || base != null || name != null || !more.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format onnx takes one model and none of --compact, --without_base, --base, --name");
        }
        if (!(strength >= 0 && strength <= CartoonOptions.MAX_STRENGTH)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strength must be between 0 and " + CartoonOptions.MAX_STRENGTH + ", got " + strength);
        }
        if (Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out is a folder; give a file name: " + out);
        }
        ModelChoice model = CartoonizeCommand.parseModel(spec, checkpoint.toString());
        try (StudioEngine engine = StudioEngines.open(shared(), "cpu")) {
            long bytes = engine.exportOnnx(model, out, withFilter, strength);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%,d KiB): ONNX, opset %d, %s%s%s%n", out,
                    bytes / 1024, StudioEngine.ONNX_OPSET, model.label(),
                    withFilter ? ", with the guided filter" : ", the generator's raw output",
                    strength != 1.0 ? String.format(Locale.ROOT, ", strength %.2f", strength) : "");
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return FaceToonCli.EXIT_USAGE;
        }
        return 0;
    }

    /** The workspace the engine opens (exports write only the files named; the workspace is for its logs). */
    private static io.github.facetoon.engine.Workspace shared() {
        return new SharedOptions().workspace();
    }
}
