package io.github.facetoon.app;

import io.github.facetoon.app.common.StudioPreferences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The FaceToon Studio application: builds the {@link AppContext} (the engine opens in the background), shows the
 * window at once, and remembers the window, theme and page between runs.
 */
public class FaceToonApp extends Application {

    /** The stylesheet of the whole studio (looked-up colours; light and dark). */
    public static final String STYLESHEET = "/io/github/facetoon/app/studio.css";

    private static volatile Function<StudioPreferences, AppContext> contextFactory = AppContext::standard;
    private static volatile java.util.function.Supplier<StudioPreferences> preferences = StudioPreferences::user;
    private static volatile java.util.function.Consumer<Stage> afterShow = stage -> { };

    private AppContext context;
    private MainView view;

    /**
     * Replaces how the context is made (a development launcher passes a fake engine).
     *
     * @param factory builds the context from the preferences
     */
    public static void setContextFactory(Function<StudioPreferences, AppContext> factory) {
        contextFactory = Objects.requireNonNull(factory);
    }

    /**
     * Replaces where the preferences live (a development launcher keeps its own).
     *
     * @param source supplies the preferences
     */
    public static void setPreferences(java.util.function.Supplier<StudioPreferences> source) {
        preferences = Objects.requireNonNull(source);
    }

    /**
     * Runs something once the window shows (a development launcher takes screenshots).
     *
     * @param hook receives the stage
     */
    public static void setAfterShow(java.util.function.Consumer<Stage> hook) {
        afterShow = Objects.requireNonNull(hook);
    }

    /** The main view, once started (for development launchers). */
    public MainView view() {
        return view;
    }

    /** The context, once started (for development launchers). */
    public AppContext context() {
        return context;
    }

    @Override
    public void start(Stage stage) {
        StudioPreferences prefs = preferences.get();
        context = contextFactory.apply(prefs);
        StudioDialogs dialogs = new StudioDialogs(context, getHostServices());
        view = new MainView(context, () -> dialogs.showAbout(stage), () -> dialogs.showLog(stage));
        view.cartoonizeView().setOpener(file -> getHostServices().showDocument(file.toUri().toString()));
        Scene scene = new Scene(view, prefs.number("window.width", 1440), prefs.number("window.height", 900));
        scene.getStylesheets().add(Objects.requireNonNull(getClass().getResource(STYLESHEET)).toExternalForm());
        view.setDark(prefs.flag("theme.dark", false));
        stage.setTitle("FaceToon Studio");
        for (String icon : new String[] {"/assets/icons/facetoon-256.png", "/assets/icons/facetoon-512.png"}) {
            var in = FaceToonApp.class.getResource(icon);
            if (in != null) {
                stage.getIcons().add(new javafx.scene.image.Image(in.toExternalForm()));
            }
        }
        stage.setScene(scene);
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        double x = prefs.number("window.x", Double.NaN);
        double y = prefs.number("window.y", Double.NaN);
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(prefs.flag("window.maximized", false));
        boolean firstStart = !prefs.flag("started", false);
        List<Path> opened = openedFiles(getParameters().getRaw());
        view.show(firstStart || !opened.isEmpty() ? MainView.Page.CARTOONIZE
                : MainView.Page.valueOf(prefs.text("page", MainView.Page.CARTOONIZE.name())));
        stage.show();
        context.start();
        if (!opened.isEmpty()) {
            context.cartoonize().add(opened);
        } else if (firstStart) {
            context.addSamplePhoto();
        }
        prefs.setFlag("started", true);
        stage.setOnHidden(e -> saveWindow(stage, prefs));
        stage.setOnCloseRequest(e -> {
            if (!view.confirmQuit()) {
                e.consume();
            }
        });
        stage.setUserData(this);
        afterShow.accept(stage);
    }

    /** The photos and folders the studio was opened with ("Open with FaceToon"); other arguments are ignored. */
    static List<Path> openedFiles(List<String> args) {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("-")) {
                files.add(Path.of(a).toAbsolutePath());
            }
        }
        return files;
    }

    private void saveWindow(Stage stage, StudioPreferences prefs) {
        prefs.setFlag("window.maximized", stage.isMaximized());
        if (!stage.isMaximized()) {
            prefs.setNumber("window.x", stage.getX());
            prefs.setNumber("window.y", stage.getY());
            prefs.setNumber("window.width", stage.getScene().getWidth());
            prefs.setNumber("window.height", stage.getScene().getHeight());
        }
        prefs.setFlag("theme.dark", view.isDark());
        prefs.setText("page", view.page().name());
    }

    @Override
    public void stop() {
        if (context != null) {
            context.close();
        }
    }
}
