package io.github.facetoon.app;

import io.github.facetoon.app.common.StudioPreferences;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.ModelChoice;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingRun;
import io.github.facetoon.engine.vision.PixelImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Runs the studio on a simulated engine, for looking at the UI without a model: a drawn sample face, training
 * runs that report falling losses and previews, cartoons made by a colour filter. With
 * {@code -Dfacetoon.screenshots=DIR} it walks through the three pages, writes PNG screenshots there and exits;
 * {@code -Dfacetoon.dev.language=zh} shows the Chinese texts, {@code -Dfacetoon.dev.dark=true} the dark theme.
 */
public final class DevStudio {

    private DevStudio() {}

    /**
     * Starts the studio.
     *
     * @param args ignored
     * @throws IOException when the demo data cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("facetoon-dev");
        Path assets = root.resolve("assets");
        for (int i = 0; i < 3; i++) {
            writeFace(assets.resolve("samples").resolve("sample-" + (i + 1) + ".png"), 560, 640, i);
        }
        for (int i = 0; i < 14; i++) {
            writeFace(root.resolve("data/photos/face-" + (i + 1) + ".png"), 256, 256, i);
            writeFace(root.resolve("data/cartoons/toon-" + (i + 1) + ".png"), 256, 256, i + 7);
        }
        Files.writeString(root.resolve("data/photos/notes.jpg"), "not an image");
        System.setProperty("facetoon.assets", assets.toString());
        Preferences node = Preferences.userRoot().node("io/github/facetoon/dev-studio");
        try {
            node.clear();
        } catch (java.util.prefs.BackingStoreException e) {
            // fresh enough
        }
        StudioPreferences prefs = new StudioPreferences(node);
        prefs.setText("language", System.getProperty("facetoon.dev.language", "en"));
        prefs.setFlag("theme.dark", Boolean.getBoolean("facetoon.dev.dark"));
        prefs.setNumber("window.width", 1560);
        prefs.setNumber("window.height", 960);
        prefs.setFolder("photos", root.resolve("data/photos"));
        prefs.setFolder("cartoons", root.resolve("data/cartoons"));
        prefs.setNumber("train.iterations", 2000);
        prefs.setNumber("train.saveEvery", 150);
        LiveEngine engine = new LiveEngine();
        Workspace ws = new Workspace(root.resolve("workspace"));
        engine.addCheckpoint(ws.run("pre").resolve("step-050000/generator.params"), "pre",
                TrainingConfig.Phase.PRETRAIN, 50_000, LossWeights.defaults());
        FaceToonApp.setPreferences(() -> prefs);
        boolean real = Boolean.getBoolean("facetoon.dev.real");
        if (real) {
            // The real engine on a throw-away workspace: what a user sees, minus their own settings.
            FaceToonApp.setContextFactory(p -> new AppContext(ws, () -> {
                io.github.facetoon.engine.EngineRuntime.ensureConfigured();
                try {
                    ws.create();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return io.github.facetoon.engine.StudioEngines.open(ws, "auto");
            }, p, Platform::runLater));
        } else {
            FaceToonApp.setContextFactory(p -> new AppContext(ws, () -> engine, p, Platform::runLater));
        }
        String shots = System.getProperty("facetoon.screenshots");
        if (shots != null) {
            FaceToonApp.setAfterShow(stage -> {
                ScreenshotTour tour = new ScreenshotTour(stage, Path.of(shots), root);
                if (real) {
                    tour.beginReal();
                } else {
                    tour.begin();
                }
            });
        }
        Application.launch(FaceToonApp.class, args);
    }

    /**
     * Draws a simple cartoon-ish face (a stand-in for a photo; nothing here is a real person).
     *
     * @param file the target
     * @param w width
     * @param h height
     * @param variant changes colours and shapes
     * @throws IOException when it cannot be written
     */
    static void writeFace(Path file, int w, int h, int variant) throws IOException {
        Random rnd = new Random(variant * 31L + 7);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color[] backs = {new Color(120, 160, 200), new Color(200, 170, 120), new Color(110, 170, 130),
            new Color(180, 130, 170)};
        Color back = backs[variant % backs.length];
        g.setPaint(new GradientPaint(0, 0, back.brighter(), w, h, back.darker()));
        g.fillRect(0, 0, w, h);
        double cx = w / 2.0;
        double cy = h / 2.0;
        double rx = w * 0.25;
        double ry = h * 0.3;
        Color[] hairs = {new Color(50, 35, 25), new Color(120, 80, 40), new Color(30, 30, 35), new Color(160, 110, 60)};
        Color[] skins = {new Color(238, 200, 170), new Color(200, 150, 110), new Color(150, 100, 70),
            new Color(245, 215, 190)};
        g.setColor(new Color(60, 80, 120).darker());
        g.fill(new Ellipse2D.Double(cx - rx * 1.9, cy + ry * 0.85, rx * 3.8, ry * 2));
        g.setColor(hairs[variant % hairs.length]);
        g.fill(new Ellipse2D.Double(cx - rx * 1.18, cy - ry * 1.22, rx * 2.36, ry * 1.9));
        g.setColor(skins[(variant / 2) % skins.length]);
        g.fill(new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry));
        g.setColor(hairs[variant % hairs.length]);
        g.fill(new Arc2D.Double(cx - rx * 1.05, cy - ry * 1.12, rx * 2.1, ry * 1.0, 0, 180, Arc2D.CHORD));
        double ex = rx * 0.42;
        double ey = cy - ry * 0.12;
        for (int s = -1; s <= 1; s += 2) {
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(cx + s * ex - rx * 0.18, ey - ry * 0.07, rx * 0.36, ry * 0.14));
            g.setColor(new Color(60 + rnd.nextInt(60), 50 + rnd.nextInt(60), 40));
            g.fill(new Ellipse2D.Double(cx + s * ex - rx * 0.08, ey - ry * 0.07, rx * 0.16, ry * 0.14));
            g.setColor(hairs[variant % hairs.length].darker());
            g.setStroke(new BasicStroke((float) (w / 90.0)));
            g.draw(new Arc2D.Double(cx + s * ex - rx * 0.22, ey - ry * 0.26, rx * 0.44, ry * 0.2, 20, 140, Arc2D.OPEN));
        }
        g.setColor(new Color(170, 110, 90));
        g.setStroke(new BasicStroke((float) (w / 120.0)));
        g.draw(new Arc2D.Double(cx - rx * 0.1, cy - ry * 0.05, rx * 0.2, ry * 0.35, 200, 140, Arc2D.OPEN));
        g.setColor(new Color(180, 70, 80));
        g.setStroke(new BasicStroke((float) (w / 70.0)));
        g.draw(new Arc2D.Double(cx - rx * 0.4, cy + ry * 0.18, rx * 0.8, ry * 0.35, 200, 140, Arc2D.OPEN));
        // Photo-like grain so the cartoon filter has something to flatten.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                int n = (int) (rnd.nextGaussian() * 9);
                int r = Math.max(0, Math.min(255, ((p >> 16) & 0xff) + n));
                int gg = Math.max(0, Math.min(255, ((p >> 8) & 0xff) + n));
                int b = Math.max(0, Math.min(255, (p & 0xff) + n));
                img.setRGB(x, y, r << 16 | gg << 8 | b);
            }
        }
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A fake engine whose runs train "live" on a thread, for looking at the studio. */
    static final class LiveEngine extends FakeStudioEngine {
        LiveEngine() {
            cartoonizeMillis = 350;
        }

        void addCheckpoint(Path path, String version, TrainingConfig.Phase phase, int iteration, LossWeights w) {
            checkpoints.add(0, new CheckpointInfo(path, version, phase, iteration, w, 128, Instant.now()));
        }

        @Override
        public CartoonResult cartoonize(Path photo, ModelChoice model, io.github.facetoon.engine.CartoonOptions options)
                throws IOException {
            CartoonResult r = super.cartoonize(photo, model, options);
            return new CartoonResult(r.source(), toon(r.source()), r.model(), r.landmarks(), 287);
        }

        @Override
        public io.github.facetoon.engine.TestReport test(ModelChoice model, List<Path> photos, int imageSize)
                throws IOException {
            io.github.facetoon.engine.TestReport r = super.test(model, photos, imageSize);
            List<io.github.facetoon.engine.TestReport.Item> items = new ArrayList<>();
            for (io.github.facetoon.engine.TestReport.Item item : r.items()) {
                items.add(new io.github.facetoon.engine.TestReport.Item(item.name(), item.photo(), toon(item.photo()),
                        item.l1(), item.landmarkNme(), item.score()));
            }
            return new io.github.facetoon.engine.TestReport(r.model(), items, r.meanL1(), r.meanLandmarkNme(),
                    r.facesFound());
        }

        @Override
        public TrainingRun startTraining(TrainingConfig config, TrainingListener listener) {
            if (autoSteps > 0) {
                return super.startTraining(config, listener);
            }
            FakeRun run = (FakeRun) super.startTraining(config, listener);
            Thread t = new Thread(() -> simulate(run, config), "fake-engine");
            t.setDaemon(true);
            t.start();
            return run;
        }

        private void simulate(FakeRun run, TrainingConfig config) {
            Random rnd = new Random(1);
            PixelImage photo;
            try {
                photo = read(Files.list(config.photos()).filter(p -> p.toString().endsWith(".png")).sorted()
                        .findFirst().orElseThrow(), 128);
            } catch (IOException e) {
                run.fail("cannot read photos: " + e.getMessage());
                return;
            }
            run.emit(new TrainingEvent.DataProblem(0, config.photos().resolve("notes.jpg"), "cannot decode: not an image"));
            long lastPreview = 0;
            Map<String, Double> level = new HashMap<>();
            for (LossTerm t : LossTerm.values()) {
                level.put(t.key(), 0.5 + rnd.nextDouble());
            }
            int it = 0;
            while (it < config.totalIter()) {
                if (run.isCancelled()) {
                    break;
                }
                if (run.isPaused()) {
                    sleep(50);
                    continue;
                }
                it++;
                sleep(config.phase() == TrainingConfig.Phase.PRETRAIN ? 15 : 30);
                double decay = Math.exp(-it / 500.0);
                Map<String, Double> losses = new HashMap<>();
                LossWeights w = run.weights().get();
                double total = 0;
                for (LossTerm t : LossTerm.values()) {
                    int i = t.ordinal();
                    String n = t.key();
                    double v = level.get(n) * (0.2 + 0.8 * decay) * (1 + 0.25 * rnd.nextGaussian());
                    v = Math.abs(v) * Math.pow(10, i - 3);
                    losses.put(n, v);
                    total += v * w.get(t);
                }
                losses.put("g_total", total / 100);
                losses.put("d_surface", 0.25 + 0.05 * rnd.nextGaussian() + 0.2 * decay);
                losses.put("d_texture", 0.3 + 0.05 * rnd.nextGaussian() + 0.15 * decay);
                run.emitStep(it, losses, 31.5 + rnd.nextGaussian());
                if (it % config.saveEvery() == 0) {
                    Path ckpt = config.workspace().resolve("runs").resolve(config.modelVersion())
                            .resolve(String.format("step-%06d", it)).resolve("generator.params");
                    addCheckpoint(ckpt, config.modelVersion(), config.phase(), it, w);
                    run.emit(new TrainingEvent.CheckpointSaved(it, ckpt));
                }
                long now = System.currentTimeMillis();
                if (run.previewsEnabled && now - lastPreview > 1000) {
                    lastPreview = now;
                    run.emit(previews(it, photo, Math.min(1, it / 400.0)));
                }
            }
            run.finish(null, run.isCancelled());
        }

        private static TrainingEvent.PreviewReady previews(int it, PixelImage photo, double t) {
            PixelImage toon = toon(photo);
            int n = photo.argb().length;
            int[] out = new int[n];
            int[] gray = new int[n];
            int[] blocks = new int[n];
            int w = photo.width();
            for (int i = 0; i < n; i++) {
                int a = photo.argb()[i];
                int b = toon.argb()[i];
                out[i] = mix(a, b, t);
                int y = (((b >> 16) & 0xff) * 3 + ((b >> 8) & 0xff) * 6 + (b & 0xff)) / 10;
                gray[i] = 0xff000000 | y << 16 | y << 8 | y;
                int bx = (i % w) / 12 * 12;
                int by = (i / w) / 12 * 12;
                blocks[i] = toon.argb()[by * w + bx];
            }
            PixelImage output = new PixelImage(w, photo.height(), out);
            List<TrainingEvent.NamedImage> images = new ArrayList<>();
            images.add(new TrainingEvent.NamedImage("photo", photo));
            images.add(new TrainingEvent.NamedImage("output", output));
            images.add(new TrainingEvent.NamedImage("surface", posterize(output)));
            images.add(new TrainingEvent.NamedImage("texture", new PixelImage(w, photo.height(), gray)));
            images.add(new TrainingEvent.NamedImage("structure", new PixelImage(w, photo.height(), blocks)));
            images.add(new TrainingEvent.NamedImage("landmark", output));
            return new TrainingEvent.PreviewReady(it, images, List.of());
        }

        private static int mix(int a, int b, double t) {
            int r = (int) (((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
            int g = (int) (((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
            int bl = (int) ((a & 0xff) * (1 - t) + (b & 0xff) * t);
            return 0xff000000 | r << 16 | g << 8 | bl;
        }

        /** A softer cartoon filter: box blur, colour quantisation, dark edges. */
        static PixelImage toon(PixelImage src) {
            int w = src.width();
            int h = src.height();
            int[] blur = new int[w * h];
            int rad = 2;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    int c = 0;
                    for (int dy = -rad; dy <= rad; dy++) {
                        for (int dx = -rad; dx <= rad; dx++) {
                            int xx = Math.max(0, Math.min(w - 1, x + dx));
                            int yy = Math.max(0, Math.min(h - 1, y + dy));
                            int p = src.argb()[yy * w + xx];
                            r += (p >> 16) & 0xff;
                            g += (p >> 8) & 0xff;
                            b += p & 0xff;
                            c++;
                        }
                    }
                    blur[y * w + x] = (r / c) << 16 | (g / c) << 8 | (b / c);
                }
            }
            int[] out = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = blur[y * w + x];
                    int r = q((p >> 16) & 0xff);
                    int g = q((p >> 8) & 0xff);
                    int b = q(p & 0xff);
                    int right = blur[y * w + Math.min(w - 1, x + 1)];
                    int down = blur[Math.min(h - 1, y + 1) * w + x];
                    int edge = lum(p) - lum(right);
                    int edge2 = lum(p) - lum(down);
                    if (Math.abs(edge) + Math.abs(edge2) > 22) {
                        r = r * 2 / 5;
                        g = g * 2 / 5;
                        b = b * 2 / 5;
                    }
                    out[y * w + x] = 0xff000000 | r << 16 | g << 8 | b;
                }
            }
            return new PixelImage(w, h, out);
        }

        private static int q(int v) {
            return Math.min(255, (int) (Math.round(v / 42.0) * 42 + 12));
        }

        private static int lum(int p) {
            return (((p >> 16) & 0xff) * 3 + ((p >> 8) & 0xff) * 6 + (p & 0xff)) / 10;
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Walks through the pages and writes screenshots. */
    static final class ScreenshotTour {
        private final Stage stage;
        private final Path out;
        private final Path root;
        private boolean weightsMoved;

        ScreenshotTour(Stage stage, Path out, Path root) {
            this.stage = stage;
            this.out = out;
            this.root = root;
        }

        void begin() {
            FaceToonApp app = (FaceToonApp) stage.getUserData();
            MainView view = app.view();
            AppContext ctx = app.context();
            String suffix = System.getProperty("facetoon.dev.suffix", "");
            List<Step> first = new ArrayList<>();
            List<Step> steps = first;
            List<Step> rest = new ArrayList<>();
            steps.add(new Step(500, () -> ctx.cartoonize().add(List.of(root.resolve("assets/samples")))));
            steps.add(new Step(500, () -> waitForBatch(ctx, rest, 60)));
            steps = rest;
            steps.add(new Step(300, () -> {
                ctx.cartoonize().selectedProperty().set(ctx.cartoonize().items().stream()
                        .filter(i -> i.name().startsWith("sample-1")).findFirst().orElse(null));
                view.cartoonizeView().viewer().setDivider(0.42);
            }));
            steps.add(new Step(500, () -> shot("studio-cartoonize" + suffix)));
            steps.add(new Step(300, () -> {
                view.cartoonizeView().viewer().modeProperty().set(
                        io.github.facetoon.app.cartoonize.BeforeAfterViewer.Mode.SIDE_BY_SIDE);
                view.cartoonizeView().toggleLandmarks();
            }));
            steps.add(new Step(600, () -> shot("studio-cartoonize-side" + suffix)));
            steps.add(new Step(200, () -> ctx.cartoonize().add(List.of(root.resolve("data/photos/notes.jpg")))));
            steps.add(new Step(3500, () -> screen("studio-error" + suffix)));
            steps.add(new Step(200, () -> {
                view.show(MainView.Page.TRAIN);
                ctx.train().start();
            }));
            steps.add(new Step(2500, () -> ctx.train().weightProperty(LossTerm.TEXTURE).set(3)));
            steps.add(new Step(3500, () -> ctx.train().weightProperty(LossTerm.LANDMARK).set(40)));
            steps.add(new Step(3500, () -> shot("studio-train" + suffix)));
            steps.add(new Step(200, () -> ctx.train().stop()));
            steps.add(new Step(1200, () -> {
                view.show(MainView.Page.ABLATION);
                ctx.ablation().stepsProperty().set(300);
            }));
            steps.add(new Step(300, () -> {
                ctx.ablation().addStandardSets(ctx.train().getWeights());
                engineOf(ctx).autoSteps = 300;
                ctx.ablation().runAll();
            }));
            steps.add(new Step(2500, () -> shot("studio-ablation" + suffix)));
            steps.add(new Step(300, () -> new StudioDialogs(ctx, app.getHostServices()).showAbout(stage)));
            steps.add(new Step(1200, () -> {
                javafx.stage.Window about = javafx.stage.Window.getWindows().stream()
                        .filter(w -> w != stage && w.isShowing()).reduce((a, b) -> b).orElse(null);
                if (about != null) {
                    shotOf(about.getScene(), "studio-about" + suffix);
                }
            }));
            steps.add(new Step(300, Platform::exit));
            run(first, 0);
        }

        void beginReal() {
            FaceToonApp app = (FaceToonApp) stage.getUserData();
            MainView view = app.view();
            AppContext ctx = app.context();
            List<Step> after = List.of(
                    new Step(500, () -> shot("studio-cartoonize-real")),
                    new Step(200, () -> {
                        view.cartoonizeView().viewer().modeProperty().set(
                                io.github.facetoon.app.cartoonize.BeforeAfterViewer.Mode.SIDE_BY_SIDE);
                        view.cartoonizeView().toggleLandmarks();
                    }),
                    new Step(800, () -> shot("studio-cartoonize-real-landmarks")),
                    new Step(300, () -> {
                        if (!Boolean.getBoolean("facetoon.dev.realTrain")) {
                            Platform.exit();
                            return;
                        }
                        // A tiny real run on the two sample photos (as photos and as "cartoons").
                        var train = ctx.train();
                        Path samples = ctx.workspace().root().resolve("samples");
                        train.photos().folderProperty().set(samples);
                        train.cartoons().folderProperty().set(samples);
                        train.phaseProperty().set(TrainingConfig.Phase.TRAIN);
                        train.imageSizeProperty().set(64);
                        train.batchSizeProperty().set(2);
                        train.iterationsProperty().set(Integer.getInteger("facetoon.dev.iterations", 30));
                        train.saveEveryProperty().set(10);
                        train.modelVersionProperty().set("tiny");
                        view.show(MainView.Page.TRAIN);
                        train.start();
                        waitForRun(ctx, 12, 240);
                    }));
            run(List.of(
                    new Step(1500, () -> ctx.cartoonize().add(List.of(ctx.workspace().root().resolve("samples")))),
                    new Step(1000, () -> waitForBatch(ctx, after, 120))), 0);
        }

        private void waitForRun(AppContext ctx, int weightChangeAt, int triesLeft) {
            var train = ctx.train();
            if (train.iterationProperty().get() >= weightChangeAt && !weightsMoved
                    && train.stateProperty().get() == io.github.facetoon.app.train.TrainViewModel.RunState.RUNNING) {
                weightsMoved = true;
                train.weightProperty(LossTerm.TEXTURE).set(train.weightProperty(LossTerm.TEXTURE).get() * 3);
                shot("studio-train-real-running");
            }
            if (train.stateProperty().get() == io.github.facetoon.app.train.TrainViewModel.RunState.IDLE
                    || triesLeft == 0) {
                shot("studio-train-real");
                if (!Boolean.getBoolean("facetoon.dev.realAblation") || train.checkpoints().isEmpty()) {
                    Platform.exit();
                    return;
                }
                // Two weight sets fine-tune 5 steps each from the newest checkpoint, then get tested.
                FaceToonApp app = (FaceToonApp) stage.getUserData();
                var ablation = ctx.ablation();
                ablation.baseCheckpointProperty().set(train.checkpoints().get(0).path());
                ablation.stepsProperty().set(5);
                ablation.batchSizeProperty().set(2);
                ablation.add("current", train.getWeights());
                ablation.add("no landmark", train.getWeights().with(LossTerm.LANDMARK, 0));
                app.view().show(MainView.Page.ABLATION);
                ablation.runAll();
                waitForAblation(ctx, 300);
                return;
            }
            javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1));
            wait.setOnFinished(e -> waitForRun(ctx, weightChangeAt, triesLeft - 1));
            wait.play();
        }

        private void waitForAblation(AppContext ctx, int triesLeft) {
            if (!ctx.ablation().runningProperty().get() || triesLeft == 0) {
                shot("studio-ablation-real");
                Platform.exit();
                return;
            }
            javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1));
            wait.setOnFinished(e -> waitForAblation(ctx, triesLeft - 1));
            wait.play();
        }

        private void waitForBatch(AppContext ctx, List<Step> then, int triesLeft) {
            boolean done = !ctx.cartoonize().items().isEmpty() && ctx.cartoonize().items().stream()
                    .allMatch(i -> i.getStatus() == io.github.facetoon.app.cartoonize.PhotoItem.Status.DONE
                            || i.getStatus() == io.github.facetoon.app.cartoonize.PhotoItem.Status.FAILED);
            if (done || triesLeft == 0) {
                run(then, 0);
                return;
            }
            javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1));
            wait.setOnFinished(e -> waitForBatch(ctx, then, triesLeft - 1));
            wait.play();
        }

        private static FakeStudioEngine engineOf(AppContext ctx) {
            return (FakeStudioEngine) ctx.engine().ready().join();
        }

        private void run(List<Step> steps, int i) {
            if (i >= steps.size()) {
                return;
            }
            javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(
                    javafx.util.Duration.millis(steps.get(i).delayMillis));
            wait.setOnFinished(e -> {
                try {
                    steps.get(i).action.run();
                } catch (RuntimeException ex) {
                    ex.printStackTrace();
                }
                run(steps, i + 1);
            });
            wait.play();
        }

        /** The whole screen, popups included (needs ImageMagick's import and an X display). */
        private void screen(String name) {
            try {
                Files.createDirectories(out);
                Path file = out.resolve(name + ".png");
                Process p = new ProcessBuilder("import", "-window", "root", file.toString()).inheritIO().start();
                if (p.waitFor() == 0) {
                    System.out.println("wrote " + file);
                }
            } catch (IOException e) {
                System.out.println("no screen capture: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void shot(String name) {
            shotOf(stage.getScene(), name);
        }

        private void shotOf(Scene scene, String name) {
            try {
                Files.createDirectories(out);
                ImageIO.write(SwingFXUtils.fromFXImage(scene.snapshot(null), null), "png",
                        out.resolve(name + ".png").toFile());
                System.out.println("wrote " + out.resolve(name + ".png"));
            } catch (IOException e) {
                e.printStackTrace();
            }
        }

        private record Step(long delayMillis, Runnable action) {}
    }
}
