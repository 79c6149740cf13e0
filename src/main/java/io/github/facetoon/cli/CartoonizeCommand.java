package io.github.facetoon.cli;

import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.data.CartoonNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cartoonize}: photos and folders in, cartoons out; bad files are reported and skipped. */
@Command(name = "cartoonize", mixinStandardHelpOptions = true,
        description = "Cartoonize photos (files or folders). Inputs are never modified.")
public final class CartoonizeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Photos or folders of photos.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the cartoons (created if missing).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "A model or checkpoint file, 'bundled' or 'classic' (default: bundled, the model the studio "
                    + "starts with).")
    String model;

    @Option(names = {"--size", "--max_side"}, paramLabel = "SIZE", defaultValue = "original",
            converter = OutputSizeConverter.class,
            description = "Size of the cartoons: original (the photo's own size), 4k, 1080p, 720p, or a short side "
                    + "in pixels; larger photos are shrunk to it (default: ${DEFAULT-VALUE}). The model works at the "
                    + "scale it was trained at whatever the size.")
    int maxSide;

    @Option(names = "--strength", paramLabel = "S", defaultValue = "1",
            description = "Cartoon strength: 0 keeps the photo, 1 is the model as trained, up to 2 "
                    + "(default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--workspace", paramLabel = "DIR", description = "Where to look for checkpoints.")
    Path workspace;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "png",
            description = "png (the default), jpg or webp.")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!(strength >= 0 && strength <= CartoonOptions.MAX_STRENGTH)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--strength must be between 0 and " + CartoonOptions.MAX_STRENGTH + ", got " + strength);
        }
        format = format.trim().toLowerCase(java.util.Locale.ROOT).replace("jpeg", "jpg");
        if (!List.of("png", "jpg", "webp").contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be png, jpg or webp, got '"
                    + format + "'");
        }
        CartoonOptions options = new CartoonOptions(maxSide, strength);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<Path> files = new LinkedHashSet<>();
        int skipped = 0;
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                ImageFolder.Scan scan = ImageFolder.scan(in);
                files.addAll(scan.images());
                for (var p : scan.problems()) {
                    err.println("skipped " + p.message());
                    skipped++;
                }
            } else {
                files.add(in);
            }
        }
        SharedOptions ws = new SharedOptions();
        ws.workspace = workspace;
        Files.createDirectories(out);
        List<Path> inputFiles = new ArrayList<>(files);
        int done = 0;
        boolean noted = false;
        try (StudioEngine engine = StudioEngines.open(ws.workspace(), device)) {
            ModelChoice choice = choose(engine);
            // Loaded first: a file that is no model is one line before any photo, and the line says what it is.
            o.println("model: " + engine.loadModel(choice));
            var withType = CartoonNames.typeNeeded(inputFiles);
            int i = 0;
            for (Path f : files) {
                i++;
                try {
                    CartoonResult r = engine.cartoonize(f, choice, options);
                    // The studio's naming rule and writer: photo_cartoon.png, written whole or not at all.
                    Path target = CartoonNames.free(out, f, strength, format, withType.get(f));
                    engine.saveImage(r.cartoon(), target, inputFiles);
                    o.printf(Locale.ROOT, "[%d/%d] %s -> %s (%dx%d, worked at %dx%d, %d ms)%n", i, files.size(),
                            f.getFileName(), target, r.cartoon().width(), r.cartoon().height(), r.workingWidth(),
                            r.workingHeight(), r.millis());
                    if (!r.note().isEmpty() && !noted) {
                        o.println("note: " + r.note());
                        noted = true;
                    }
                    done++;
                } catch (IOException | IllegalArgumentException e) {
                    err.println("skipped " + CliErrors.describe(e));
                    skipped++;
                }
            }
        }
        o.printf(Locale.ROOT, "%d cartoonized, %d skipped%n", done, skipped);
        return done > 0 || files.isEmpty() && skipped == 0 ? 0 : FaceToonCli.EXIT_FAILURE;
    }

    private ModelChoice choose(StudioEngine engine) {
        return model == null ? new ModelChoice.Bundled() : parseModel(spec, model);
    }

    /**
     * Reads a --model value: a model or checkpoint file, 'bundled' or 'classic'.
     *
     * @param spec the command, for the usage error
     * @param model the value
     * @return the choice
     */
    static ModelChoice parseModel(CommandLine.Model.CommandSpec spec, String model) {
        switch (model) {
            case "bundled":
                return new ModelChoice.Bundled();
            case "classic":
                return new ModelChoice.Classic();
            default:
                Path p = Path.of(model);
                if (!Files.isRegularFile(p)) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--model: no such checkpoint file: " + model + " (or use 'bundled' or 'classic')");
                }
                return new ModelChoice.Checkpoint(p);
        }
    }

    /** Reads --size: original, 4k, 1080p, 720p or a number of pixels (at least 8). */
    static final class OutputSizeConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "original":
                    return CartoonOptions.ORIGINAL;
                case "4k":
                case "2160p":
                    return CartoonOptions.UHD_4K;
                case "1080p":
                    return CartoonOptions.FULL_HD;
                case "720p":
                    return CartoonOptions.HD;
                default:
                    int px;
                    try {
                        px = Integer.parseInt(v.endsWith("px") ? v.substring(0, v.length() - 2) : v);
                    } catch (NumberFormatException e) {
                        throw new CommandLine.TypeConversionException(
                                "'" + value + "' is not a size: use original, 4k, 1080p, 720p or a number of pixels");
                    }
                    if (px < 8) {
                        throw new CommandLine.TypeConversionException("the size must be at least 8 pixels, got " + px);
                    }
                    return px;
            }
        }
    }
}
