package io.github.facetoon.cli;

import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.Samples;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.TestReport;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.eval.CartoonScore;
import io.github.facetoon.engine.vision.PixelImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code test}: the original project's {@code test.py}. Loads the checkpoint of {@code --model_version V} at iteration
 * {@code --batch N} (the original project's meaning of "batch"), cartoonizes the test photos, writes a before/after grid and
 * prints the metrics (L1, the original project's "Test loss", landmark NME, and the cartoon figures of docs/evaluation.md).
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Cartoonize test photos with a checkpoint, write a before/after grid and print L1, landmark NME"
                + " and the cartoon figures (MAD, flat gain, texture, ink gain, palette; see docs/evaluation.md).")
public final class TestCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SharedOptions shared;

    @Option(names = "--model_version", required = true, paramLabel = "V", description = "The run's model version.")
    String modelVersion;

    @Option(names = "--batch", required = true, paramLabel = "ITER",
            description = "The checkpoint's iteration, as in the original FacialCartoonization project:"
                    + " --batch 500 loads the one saved at 500.")
    int iteration;

    @Option(names = "--photos", paramLabel = "DIR", description = "Test photos (default: the shipped sample photos).")
    Path photos;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the grid goes (default: the run's folder).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Workspace ws = shared.workspace();
        Path ckpt;
        try {
            ckpt = ws.checkpoint(modelVersion, iteration);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getReason());
        }
        List<Path> files;
        if (photos != null) {
            files = ImageFolder.scan(photos).images();
        } else {
            files = Samples.copyTo(Files.createTempDirectory("facetoon-samples"));
        }
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no test photos found");
        }
        PrintWriter o = spec.commandLine().getOut();
        try (StudioEngine engine = StudioEngines.open(ws, shared.device)) {
            TestReport r = engine.test(new ModelChoice.Checkpoint(ckpt), files, shared.imageSize);
            for (TestReport.Item it : r.items()) {
                CartoonScore s = it.score();
                o.printf(Locale.ROOT, "%-32s L1 %.4f  MAD %.4f  flat %+.3f  texture %s  ink %+.4f  palette %.2f"
                        + "  landmark NME %s%n", it.name(), it.l1(), s.mad(), s.flatGain(), figure(s.texture(), 2),
                        s.inkGain(), s.palette(), nme(it.landmarkNme()));
            }
            CartoonScore m = r.medianScore();
            o.printf(Locale.ROOT, "Test loss (L1) = %.4f%n", r.meanL1());
            o.printf(Locale.ROOT, "Medians: MAD %.4f (%.4f without the colour cast)  flat gain %+.3f  texture %s"
                    + "  ink gain %+.4f  palette %.2f%n", m.mad(), m.madWithoutCast(), r.medianFlatGain(),
                    figure(m.texture(), 2), r.medianInkGain(), m.palette());
            o.printf(Locale.ROOT, "Landmark NME = %s (%d of %d photos with a face)%n", nme(r.meanLandmarkNme()),
                    r.facesFound(), r.items().size());
            Path dir = out != null ? out : ws.run(modelVersion);
            Path grid = engine.saveNewImage(grid(r), dir, "test-" + modelVersion + "-" + iteration + ".png");
            o.println("grid: " + grid);
        }
        return 0;
    }

    private static String figure(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String nme(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Rows of photo | cartoon. */
    static PixelImage grid(TestReport r) {
        List<PixelImage> rows = new ArrayList<>();
        for (TestReport.Item it : r.items()) {
            rows.add(PixelImage.beside(List.of(it.photo(), it.cartoon()), 0xffffffff));
        }
        return PixelImage.stack(rows, 0xffffffff);
    }
}
