package io.github.facetoon.cli;

import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.eval.EvaluationReport;
import io.github.facetoon.engine.eval.ImageEvaluation;
import io.github.facetoon.engine.vision.PixelImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: how much of a cartoon a model makes of some photos (docs/evaluation.md), per photo and as medians;
 * optionally a contact sheet of photo | one column per model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure how much of a cartoon a model makes: change without colour cast, flat share, texture on "
                + "and off edges, dark outlines (ink), palette, burn-out, and whether the face is kept (docs/evaluation.md).",
            "Photos are cartoonized as the studio does (their own size, strength 1 unless told)."})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PHOTOS", description = "Photos or folders of photos.")
    List<Path> inputs;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "A model or checkpoint file, 'bundled' or 'classic'; repeat it to compare models "
                    + "(default: bundled).")
    List<String> models;

    @Option(names = "--strength", paramLabel = "S", defaultValue = "1",
            description = "Cartoon strength, 0 to 2 (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = {"--size", "--max_side"}, paramLabel = "SIZE", defaultValue = "original",
            converter = CartoonizeCommand.OutputSizeConverter.class,
            description = "Size of the cartoons: original, 4k, 1080p, 720p or a short side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--json", description = "Print JSON (one report per model) instead of tables.")
    boolean json;

    @Option(names = "--sheet", paramLabel = "FILE.png",
            description = "Also write a contact sheet: one row per photo, the photo then each model's cartoon.")
    Path sheet;

    @Option(names = "--sheet_height", paramLabel = "PX", defaultValue = "192",
            description = "Height of a contact sheet row (default: ${DEFAULT-VALUE}).")
    int sheetHeight;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (!(strength >= 0 && strength <= CartoonOptions.MAX_STRENGTH)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strength must be between 0 and " + CartoonOptions.MAX_STRENGTH + ", got " + strength);
        }
        if (sheetHeight < 16 || sheetHeight > 2048) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sheet_height must be 16 to 2048, got " + sheetHeight);
        }
        List<ModelChoice> choices = new ArrayList<>();
        for (String m : models == null ? List.of("bundled") : models) {
            choices.add(CartoonizeCommand.parseModel(spec, m));
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<Path> files = new LinkedHashSet<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                ImageFolder.Scan scan = ImageFolder.scan(in);
                files.addAll(scan.images());
                scan.problems().forEach(p -> err.println("skipped " + p.message()));
            } else if (Files.exists(in)) {
                files.add(in);
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such photo or folder: " + in);
            }
        }
        CartoonOptions options = new CartoonOptions(size, strength);
        List<EvaluationReport> reports = new ArrayList<>();
        List<PixelImage> rows = new ArrayList<>();
        try (StudioEngine engine = StudioEngines.open(new SharedOptions().workspace(), device)) {
            Set<Path> bad = new LinkedHashSet<>();
            for (ModelChoice choice : choices) {
                List<ImageEvaluation> evaluated = new ArrayList<>();
                for (Path f : files) {
                    if (bad.contains(f)) {
                        continue;
                    }
                    try {
                        evaluated.add(engine.evaluate(f, choice, options));
                    } catch (IOException | IllegalArgumentException e) {
                        if (choice instanceof ModelChoice.Checkpoint && e.getMessage() != null
                                && e.getMessage().contains(((ModelChoice.Checkpoint) choice).path().getFileName().toString())) {
                            throw e; // the model, not the photo
                        }
                        err.println("skipped " + CliErrors.describe(e));
                        bad.add(f);
                    }
                }
                reports.add(EvaluationReport.of(choice.label(), evaluated));
            }
            if (sheet != null) {
                for (Path f : files) {
                    if (!bad.contains(f)) {
                        rows.add(engine.compare(f, choices, options, sheetHeight));
                    }
                }
                if (!rows.isEmpty()) {
                    // The engine's atomic writer, never over one of the photos.
                    engine.saveImage(PixelImage.stack(rows, 0xffffffff), sheet, new ArrayList<>(inputs));
                }
            }
        }
        if (json) {
            o.println(reports.size() == 1 ? reports.get(0).toJson()
                    : "[\n" + String.join(",\n", reports.stream().map(EvaluationReport::toJson).toList()) + "\n]");
        } else {
            for (EvaluationReport r : reports) {
                o.println(r.toTable());
            }
        }
        if (sheet != null && !rows.isEmpty()) {
            o.println("contact sheet: " + sheet + " (photo | " + String.join(" | ", choices.stream().map(ModelChoice::label).toList()) + ")");
        }
        return reports.get(0).rows().isEmpty() ? FaceToonCli.EXIT_FAILURE : 0;
    }
}
