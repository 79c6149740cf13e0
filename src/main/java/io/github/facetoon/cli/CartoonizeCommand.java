package io.github.facetoon.cli;

import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.data.ImageFolder;
import io.github.facetoon.engine.data.CartoonNames;
import io.github.facetoon.engine.video.VideoCartoonizer;
import io.github.facetoon.engine.video.VideoFormats;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cartoonize}: photos, videos and folders in, cartoons out; bad files are reported and skipped. */
@Command(name = "cartoonize", mixinStandardHelpOptions = true,
        description = {"Cartoonize photos and videos (files or folders). Inputs are never modified.",
                "A video (mp4, m4v, mov, mkv, webm, avi, animated gif) becomes a video of the same kind, frame size,"
                        + " frame rate and frame count, with its sound copied: NAME_cartoon.EXT. Ctrl+C stops it and"
                        + " leaves no partial file."})
public final class CartoonizeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Photos, videos, or folders of them.")
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
            description = "Format of photo cartoons: png (the default), jpg or webp. A video's cartoon keeps the "
                    + "video's own format.")
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
        Set<Path> videos = new LinkedHashSet<>();
        int skipped = 0;
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                // One walk for photos and videos, by the training set's rules.
                ImageFolder.Scan scan = ImageFolder.scan(in, f -> ImageFolder.hasImageExtension(f)
                        || VideoFormats.isVideo(f));
                for (Path f : scan.images()) {
                    (VideoFormats.isVideo(f) ? videos : files).add(f);
                }
                for (var p : scan.problems()) {
                    err.println("skipped " + p.message());
                    skipped++;
                }
            } else if (VideoFormats.isVideo(in)) {
                videos.add(in);
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
            int count = files.size() + videos.size();
            for (Path f : files) {
                i++;
                try {
                    CartoonResult r = engine.cartoonize(f, choice, options);
                    // The studio's naming rule and writer: photo_cartoon.png, written whole or not at all.
                    Path target = CartoonNames.free(out, f, strength, format, withType.get(f));
                    engine.saveImage(r.cartoon(), target, inputFiles);
                    o.printf(Locale.ROOT, "[%d/%d] %s -> %s (%dx%d, worked at %dx%d, %d ms)%n", i, count,
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
            var videoType = CartoonNames.typeNeeded(new ArrayList<>(videos));
            for (Path v : videos) {
                i++;
                try {
                    Path target = CartoonNames.free(out, v, strength, extension(v), videoType.get(v));
                    o.printf(Locale.ROOT, "[%d/%d] %s -> %s%n", i, count, v.getFileName(), target);
                    o.flush();
                    VideoCartoonizer.Result r = runVideo(engine, v, target, choice, options, o);
                    if (r.cancelled()) {
                        o.printf(Locale.ROOT, "stopped after %d frames: nothing was written%n", r.frames());
                        return FaceToonCli.EXIT_FAILURE;
                    }
                    o.printf(Locale.ROOT, "  %d frames, %dx%d, %.3g frames/s of video, %s, made in %s (%.2f frames/s)%n",
                            r.frames(), r.width(), r.height(), r.videoFramesPerSecond(),
                            r.audioCopied() ? "sound copied" : "no sound", ConsoleProgress.eta(r.wallSeconds()),
                            r.frames() / Math.max(1e-9, r.wallSeconds()));
                    if (!r.note().isEmpty()) {
                        o.println("note: " + r.note());
                    }
                    done++;
                } catch (IOException | IllegalArgumentException e) {
                    err.println("skipped " + CliErrors.describe(e));
                    skipped++;
                }
            }
        }
        o.printf(Locale.ROOT, "%d cartoonized, %d skipped%n", done, skipped);
        return done > 0 || files.isEmpty() && videos.isEmpty() && skipped == 0 ? 0 : FaceToonCli.EXIT_FAILURE;
    }

    private static String extension(Path video) {
        String n = video.getFileName().toString();
        return n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** One video, with a progress line and Ctrl+C stopping it cleanly (the partial file is removed). */
    private static VideoCartoonizer.Result runVideo(StudioEngine engine, Path video, Path target, ModelChoice choice,
            CartoonOptions options, PrintWriter o) throws IOException {
        boolean terminal = ConsoleProgress.onTerminal();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "facetoon-video-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long[] lastPlain = {0};
        try {
            return engine.cartoonizeVideo(video, target, choice, options, p -> {
                String line = String.format(Locale.ROOT, "  frame %d/%d, %.2f frames/s, ETA %s", p.frames(),
                        p.totalFrames(), p.framesPerSecond(), ConsoleProgress.eta(p.etaSeconds()));
                if (terminal) {
                    o.print("\r" + line + "   ");
                    o.flush();
                } else if (p.frames() == 1 || p.frames() - lastPlain[0] >= Math.max(1, p.totalFrames() / 10)) {
                    lastPlain[0] = p.frames();
                    o.println(line);
                    o.flush();
                }
            }, stop::get);
        } finally {
            if (terminal) {
                o.println();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
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
