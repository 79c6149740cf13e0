package io.github.facetoon.cli;

import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.data.ImageWriter;
import io.github.facetoon.engine.vision.ImageTensors;
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
import org.opencv.core.Mat;
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
            description = "A checkpoint file, 'bundled' or 'classic' (default: the newest checkpoint in the workspace, "
                    + "else the bundled model).")
    String model;

    @Option(names = "--max_side", paramLabel = "PX", defaultValue = "720",
            description = "Limit of the photo's short side in pixels (default: ${DEFAULT-VALUE}).")
    int maxSide;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--workspace", paramLabel = "DIR", description = "Where to look for checkpoints.")
    Path workspace;

    @Override
    public Integer call() throws Exception {
        if (maxSide < 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max_side must be at least 8, got " + maxSide);
        }
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
        ImageWriter writer = new ImageWriter();
        List<Path> inputFiles = new ArrayList<>(files);
        int done = 0;
        try (StudioEngine engine = StudioEngines.open(ws.workspace(), device)) {
            ModelChoice choice = choose(engine);
            o.println("model: " + choice.label());
            int i = 0;
            for (Path f : files) {
                i++;
                try {
                    CartoonResult r = engine.cartoonize(f, choice, maxSide);
                    Mat m = ImageTensors.pixelsToBgr(r.cartoon());
                    try {
                        String stem = f.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                        Path target = ImageWriter.uniqueName(out, stem + "_cartoon.png");
                        writer.write(m, target, inputFiles);
                        o.printf(Locale.ROOT, "[%d/%d] %s -> %s (%d ms, %s)%n", i, files.size(), f.getFileName(), target,
                                r.millis(), r.model());
                        done++;
                    } finally {
                        m.release();
                    }
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
        if (model == null) {
            List<CheckpointInfo> all = engine.checkpoints();
            return all.stream().filter(c -> c.phase() == io.github.facetoon.config.TrainingConfig.Phase.TRAIN).findFirst()
                    .<ModelChoice>map(c -> new ModelChoice.Checkpoint(c.path())).orElse(new ModelChoice.Bundled());
        }
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
}
