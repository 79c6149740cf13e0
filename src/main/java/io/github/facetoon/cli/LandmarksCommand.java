package io.github.facetoon.cli;

import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.representation.LandmarkRepresentation;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import io.github.facetoon.engine.vision.PixelImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
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

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (draw != null && Files.exists(draw) && Files.isSameFile(draw, image)) {
            err.println("error: --draw " + draw + " is the input image; choose another output file");
            return FaceToonCli.EXIT_USAGE;
        }
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            err.println("error: cannot read image " + image + ": no such readable file");
            return FaceToonCli.EXIT_FAILURE;
        }
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        Mat bgr = Imgcodecs.imread(image.toString(), Imgcodecs.IMREAD_COLOR);
        try {
            if (bgr.empty()) {
                err.println("error: cannot read image " + image + ": not an image in a supported format");
                return FaceToonCli.EXIT_FAILURE;
            }
            Optional<FaceLandmarks> found;
            try (LandmarkDetector detector = LandmarkDetector.create()) {
                found = detector.detect(bgr);
            }
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
                PixelImage drawn = LandmarkRepresentation.draw(ImageTensors.bgrToPixels(bgr), lm.points(), heatmap);
                Mat result = ImageTensors.pixelsToBgr(drawn);
                try {
                    if (!Imgcodecs.imwrite(draw.toString(), result)) {
                        err.println("error: cannot write " + draw + " (check the folder and the file extension)");
                        return FaceToonCli.EXIT_FAILURE;
                    }
                } finally {
                    result.release();
                }
            }
            out.flush();
            return 0;
        } finally {
            bgr.release();
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
