package io.github.facetoon.app;

import io.github.facetoon.app.ablation.AblationViewModel;
import io.github.facetoon.app.cartoonize.CartoonizeViewModel;
import io.github.facetoon.app.common.AppPaths;
import io.github.facetoon.app.common.DeferredStudioEngine;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.app.common.StudioPreferences;
import io.github.facetoon.app.train.TrainViewModel;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.StudioEngines;
import io.github.facetoon.engine.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hand-wired dependencies of the studio: the engine (opened on a background thread, so the window shows at
 * once), the background executor, the event pump, the preferences, the texts and the three ViewModels.
 */
public final class AppContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppContext.class);

    private final Workspace workspace;
    private final StudioPreferences prefs;
    private final I18n i18n;
    private final FxEventPump pump;
    private final ExecutorService background;
    private final DeferredStudioEngine engine;
    private final ForwardingNotifier notifier = new ForwardingNotifier();
    private final TrainViewModel train;
    private final CartoonizeViewModel cartoonize;
    private final AblationViewModel ablation;

    /**
     * Wires the studio.
     *
     * @param workspace the workspace
     * @param opener opens the engine; called once, on a background thread
     * @param prefs the preferences
     * @param fxThread posts to the FX thread ({@code Platform::runLater})
     */
    public AppContext(Workspace workspace, Supplier<StudioEngine> opener, StudioPreferences prefs,
                      java.util.concurrent.Executor fxThread) {
        this.workspace = workspace;
        this.prefs = prefs;
        this.i18n = new I18n(chosenLocale(prefs));
        this.pump = new FxEventPump(fxThread);
        AtomicInteger n = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "facetoon-studio-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.engine = new DeferredStudioEngine(CompletableFuture.supplyAsync(opener, background));
        engine.ready().whenComplete((e, error) -> {
            if (error != null) {
                LOG.error("The engine could not start", error);
            }
        });
        // Work handed over while the studio closes (a refresh after the last run's end) is dropped, not an error.
        java.util.concurrent.Executor work = task -> {
            try {
                background.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("the studio is closing; dropped a background task");
            }
        };
        this.train = new TrainViewModel(engine, work, pump, notifier, i18n, workspace.root());
        this.cartoonize = new CartoonizeViewModel(engine, work, pump, notifier, i18n);
        this.ablation = new AblationViewModel(engine, work, pump, notifier, i18n, workspace.root());
        wireAcross();
    }

    /**
     * The studio as the user starts it: the default workspace, the real engine on the best device.
     *
     * @param prefs the preferences
     * @return the context
     */
    public static AppContext standard(StudioPreferences prefs) {
        Workspace ws = Workspace.defaultWorkspace();
        return new AppContext(ws, () -> {
            EngineRuntime.ensureConfigured();
            try {
                ws.create();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return StudioEngines.open(ws, "auto");
        }, prefs, Platform::runLater);
    }

    private void wireAcross() {
        // The checkpoint list feeds the model choice and the ablation base.
        train.checkpoints().addListener((ListChangeListener<io.github.facetoon.engine.CheckpointInfo>) c -> {
            cartoonize.setCheckpoints(List.copyOf(train.checkpoints()));
            ablation.offerCheckpoints(List.copyOf(train.checkpoints()));
        });
        ablation.photosProperty().bind(train.photos().folderProperty());
        ablation.cartoonsProperty().bind(train.cartoons().folderProperty());
        ablation.imageSizeProperty().bind(train.imageSizeProperty());
        // One training at a time: each page knows when the other one trains.
        train.otherRunActiveProperty().bind(ablation.runningProperty());
        ablation.otherRunActiveProperty().bind(train.busyProperty());
    }

    /** Restores the remembered settings and starts the background loads (device, checkpoints). */
    public void start() {
        prefs.folder("photos").ifPresent(train.photos().folderProperty()::set);
        prefs.folder("cartoons").ifPresent(train.cartoons().folderProperty()::set);
        prefs.folder("save").ifPresent(cartoonize.saveFolderProperty()::set);
        prefs.folder("open").ifPresent(cartoonize.openFolderProperty()::set);
        prefs.folder("test").ifPresent(ablation.testPhotosProperty()::set);
        train.applyPreset(prefs.weights());
        train.imageSizeProperty().set((int) prefs.number("train.imageSize", 128));
        train.batchSizeProperty().set((int) prefs.number("train.batch", train.batchSizeProperty().get()));
        train.iterationsProperty().set((int) prefs.number("train.iterations", train.iterationsProperty().get()));
        train.threadsProperty().set(Math.max(0, (int) prefs.number("engine.threads", 0)));
        // The charts of the last run come back with the studio.
        train.showHistoryOf(prefs.text("train.lastRun", ""));
        train.keepLastProperty().set(Math.max(1, (int) prefs.number("train.keepLast", train.keepLastProperty().get())));
        train.saveEveryProperty().set((int) prefs.number("train.saveEvery", 500));
        train.modelVersionProperty().set(prefs.text("train.version", "1"));
        // The output size (the photo's own, 4K, 1080p, 720p); an older studio remembered a working size (256-720 px),
        // which is not an output choice: those start at the photo's own size.
        int side = (int) prefs.number("cartoonize.outputSize", CartoonizeViewModel.MAX_SHORT_SIDE);
        cartoonize.useSize(CartoonizeViewModel.OUTPUT_SIZES.contains(side) ? side : CartoonizeViewModel.MAX_SHORT_SIDE);
        double strength = prefs.number("cartoonize.strength", 1.0);
        cartoonize.useStrength(strength >= 0 && strength <= io.github.facetoon.engine.CartoonOptions.MAX_STRENGTH ? strength : 1.0);
        train.load();
        findBundledPretrained();
    }

    /**
     * Shows the first sample photo on the Cartoonize page: the application's own samples when it ships them,
     * else the {@code assets/samples} folder; without either the drop hint shows alone.
     */
    public void addSamplePhoto() {
        background.execute(() -> {
            try {
                List<Path> shipped = io.github.facetoon.engine.Samples.copyTo(workspace.root().resolve("samples"));
                if (!shipped.isEmpty()) {
                    pump.execute(() -> cartoonize.showSample(shipped.get(0)));
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("Cannot copy the sample photos", e);
            }
            pump.execute(() -> cartoonize.addSample(AppPaths.samples()));
        });
    }

    /** Writes the settings to remember. */
    public void save() {
        prefs.setFolder("photos", train.photos().getFolder());
        prefs.setFolder("cartoons", train.cartoons().getFolder());
        prefs.setFolder("save", cartoonize.saveFolderProperty().get());
        prefs.setFolder("open", cartoonize.openFolderProperty().get());
        prefs.setFolder("test", ablation.testPhotosProperty().get());
        prefs.setWeights(train.getWeights());
        prefs.setNumber("train.imageSize", train.imageSizeProperty().get());
        prefs.setNumber("train.batch", train.batchSizeProperty().get());
        prefs.setNumber("train.iterations", train.iterationsProperty().get());
        prefs.setNumber("train.saveEvery", train.saveEveryProperty().get());
        prefs.setNumber("engine.threads", train.threadsProperty().get());
        if (train.lastRun() != null) {
            prefs.setText("train.lastRun", train.lastRun());
        }
        prefs.setNumber("train.keepLast", train.keepLastProperty().get());
        prefs.setText("train.version", train.modelVersionProperty().get());
        prefs.setNumber("cartoonize.outputSize", cartoonize.maxSideProperty().get());
        prefs.setNumber("cartoonize.strength", cartoonize.strengthProperty().get());
        prefs.flush();
    }

    private void findBundledPretrained() {
        background.execute(() -> {
            // The bundled default generator ships inside the application; training needs it as a file.
            try (java.io.InputStream in = AppContext.class.getResourceAsStream(
                    io.github.facetoon.engine.infer.Cartoonizer.BUNDLED_RESOURCE)) {
                if (in != null) {
                    Path copy = workspace.root().resolve("bundled").resolve("facetoon-default.ftc");
                    Files.createDirectories(copy.getParent());
                    Path part = copy.resolveSibling(copy.getFileName() + ".part");
                    Files.copy(in, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    pump.execute(() -> train.bundledPretrainedProperty().set(copy));
                    return;
                }
            } catch (java.io.IOException e) {
                LOG.warn("Cannot copy the bundled model into the workspace", e);
            }
            Path dir = AppPaths.checkpoints();
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains("pre"))
                        .sorted()
                        .findFirst()
                        .ifPresent(p -> pump.execute(() -> train.bundledPretrainedProperty().set(p)));
            } catch (java.io.IOException e) {
                LOG.warn("Cannot list {}", dir, e);
            }
        });
    }

    private static Locale chosenLocale(StudioPreferences prefs) {
        String tag = prefs.text("language", "");
        return tag.isBlank() ? Locale.getDefault() : Locale.forLanguageTag(tag);
    }

    /** The workspace. */
    public Workspace workspace() {
        return workspace;
    }

    /** The preferences. */
    public StudioPreferences prefs() {
        return prefs;
    }

    /** The texts. */
    public I18n i18n() {
        return i18n;
    }

    /** The engine (calls wait until it is open: use from background threads only). */
    public DeferredStudioEngine engine() {
        return engine;
    }

    /** The background executor for short I/O. */
    public ExecutorService background() {
        return background;
    }

    /** The bridge to the FX thread. */
    public FxEventPump pump() {
        return pump;
    }

    /** The Train view's model. */
    public TrainViewModel train() {
        return train;
    }

    /** The Cartoonize view's model. */
    public CartoonizeViewModel cartoonize() {
        return cartoonize;
    }

    /** The ablation board's model. */
    public AblationViewModel ablation() {
        return ablation;
    }

    /**
     * Sets where the ViewModels' messages go (the main view's notifications).
     *
     * @param target the notifier
     */
    public void setNotifier(Notifier target) {
        notifier.target = target;
    }

    /** The notifier the ViewModels use. */
    public Notifier notifier() {
        return notifier;
    }

    @Override
    public void close() {
        save();
        engine.close();
        background.shutdownNow();
    }

    private static final class ForwardingNotifier implements Notifier {
        private volatile Notifier target = Notifier.silent();

        @Override
        public void info(String message) {
            LOG.info(message);
            target.info(message);
        }

        @Override
        public void error(String title, String message) {
            LOG.warn("{}: {}", title, message);
            target.error(title, message);
        }
    }
}
