package io.github.facetoon.cli;

import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.Samples;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.TestReport;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.eval.CartoonScore;
import io.github.facetoon.engine.data.ImageWriter;
import io.github.facetoon.engine.train.CheckpointStore;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.opencv.core.Core;
import org.opencv.core.Mat;
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
        CheckpointStore store = new CheckpointStore(ws.run(modelVersion), 5, 0);
        Path ckpt = store.pathFor(iteration);
        if (!Files.exists(ckpt)) {
            List<String> have = new ArrayList<>();
            for (Path p : store.list()) {
                have.add(String.valueOf(CheckpointStore.iterationOf(p).orElse(-1)));
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "no checkpoint at iteration " + iteration
                    + " for model version '" + modelVersion + "' in " + store.folder()
                    + (have.isEmpty() ? " (the run has none)" : " (available: " + String.join(", ", have) + ")"));
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
            Path dir = out != null ? out : store.folder();
            Path grid = writeGrid(r, dir, "test-" + modelVersion + "-" + iteration + ".png");
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

    /** Rows of photo | cartoon, written atomically under a new name. */
    static Path writeGrid(TestReport r, Path dir, String name) throws java.io.IOException {
        List<Mat> rows = new ArrayList<>();
        try {
            for (TestReport.Item it : r.items()) {
                Mat row = new Mat();
                Mat a = ImageTensors.pixelsToBgr(it.photo());
                Mat b = ImageTensors.pixelsToBgr(it.cartoon());
                Core.hconcat(List.of(a, b), row);
                a.release();
                b.release();
                rows.add(row);
            }
            Mat grid = new Mat();
            Core.vconcat(rows, grid);
            try {
                Files.createDirectories(dir);
                return new ImageWriter().writeNew(grid, dir, name);
            } finally {
                grid.release();
            }
        } finally {
            rows.forEach(Mat::release);
        }
    }
}
