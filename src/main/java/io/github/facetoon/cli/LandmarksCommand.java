package io.github.facetoon.cli;

import io.github.facetoon.engine.FaceOnPhoto;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.data.UnreadableImageException;
import io.github.facetoon.engine.perception.FaceLandmarks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code facetoon landmarks IMAGE [--json] [--draw OUT.png]}: the 68 face landmarks of the largest face in a photo. */
@Command(name = "landmarks",
        mixinStandardHelpOptions = true,
        description = "Find the largest face in a photo and print its 68 landmarks (iBUG order) in image pixels.")
public final class LandmarksCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The photo (PNG, JPEG, BMP, ...).")
    Path image;

    @Option(names = "--json", description = "Print JSON instead of plain text.")
    boolean json;

    @Option(names = "--draw", paramLabel = "OUT.png", description = "Also write the photo with the landmarks drawn on it.")
    Path draw;

    @Option(names = "--heatmap", description = "With --draw: blend Gaussian heatmaps under the points.")
    boolean heatmap;

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (draw != null && Files.exists(draw) && Files.isSameFile(draw, image)) {
            err.println("error: --draw " + draw + " is the input image; choose another output file");
            return FaceToonCli.EXIT_USAGE;
        }
        String drawName = draw == null ? "" : draw.getFileName().toString().toLowerCase(Locale.ROOT);
        if (draw != null && !drawName.matches(".*\\.(png|jpe?g|webp)")) {
            err.println("error: --draw " + draw + ": the drawing is written as .png, .jpg or .webp");
            return FaceToonCli.EXIT_USAGE;
        }
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            err.println("error: cannot read image " + image + ": no such readable file");
            return FaceToonCli.EXIT_FAILURE;
        }
        try (StudioEngine engine = StudioEngines.open(new SharedOptions().workspace(), device)) {
            FaceOnPhoto result;
            try {
                result = engine.landmarks(image, draw != null, heatmap);
            } catch (UnreadableImageException e) {
                err.println("error: cannot read image " + image + ": " + e.reason());
                return FaceToonCli.EXIT_FAILURE;
            }
            Optional<FaceLandmarks> found = result.face();
            if (found.isEmpty()) {
                err.println("error: no face found in " + image);
                return FaceToonCli.EXIT_FAILURE;
            }
            FaceLandmarks lm = found.get();
            if (json) {
                out.println(lm.toJson());
            } else {
                printText(out, lm);
            }
            if (draw != null) {
                // The engine's atomic writer: the file appears whole or not at all, never over the photo.
                engine.saveImage(result.drawing(), draw, List.of(image));
            }
            out.flush();
            return 0;
        }
    }

    private void printText(PrintWriter out, FaceLandmarks lm) {
        out.printf(Locale.ROOT, "# %s: 68 landmarks (index x y, image pixels); crop x=%.0f y=%.0f size=%.0f%n",
                image.getFileName(), lm.crop().x(), lm.crop().y(), lm.crop().size());
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            out.printf(Locale.ROOT, "%d %.2f %.2f%n", i, lm.x(i), lm.y(i));
        }
    }
}
