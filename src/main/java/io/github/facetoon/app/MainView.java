package io.github.facetoon.app;

import io.github.facetoon.app.ablation.AblationView;
import io.github.facetoon.app.cartoonize.CartoonizeView;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.app.train.TrainView;
import io.github.facetoon.engine.ModelChoice;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.controlsfx.control.StatusBar;

/** The window's content: menus with the shortcuts, the three views in tabs, and the status bar. Wiring only. */
public final class MainView extends BorderPane {

    /** The tabs, in order. */
    public enum Page { CARTOONIZE, TRAIN, ABLATION }

    private final AppContext context;
    private final I18n i18n;
    private final TabPane tabs = new TabPane();
    private final StatusBar status = new StatusBar();
    private final CartoonizeView cartoonizeView;
    private final TrainView trainView;
    private final AblationView ablationView;
    private final CheckMenuItem dark = new CheckMenuItem();
    private final Runnable onAbout;
    private final Runnable onOpenLog;

    /**
     * Builds the window content.
     *
     * @param context the wired studio
     * @param onAbout opens the About dialog
     * @param onOpenLog opens the log
     */
    public MainView(AppContext context, Runnable onAbout, Runnable onOpenLog) {
        this.context = context;
        this.i18n = context.i18n();
        this.onAbout = onAbout;
        this.onOpenLog = onOpenLog;
        getStyleClass().add("main-view");
        cartoonizeView = new CartoonizeView(context.cartoonize(), i18n,
                () -> context.cartoonize().openFolderProperty().get());
        trainView = new TrainView(context.train(), i18n, c -> {
            context.cartoonize().useModel(new ModelChoice.Checkpoint(c.path()));
            show(Page.CARTOONIZE);
        }, () -> context.prefs().folder("photos").orElse(null));
        ablationView = new AblationView(context.ablation(), i18n, context.notifier(), context.train().checkpoints(),
                context.train()::getWeights);
        Tab cartoonize = new Tab(i18n.tr("tab.cartoonize"), cartoonizeView);
        Tab train = new Tab(i18n.tr("tab.train"), trainView);
        Tab ablation = new Tab(i18n.tr("tab.ablation"), ablationView);
        tabs.getTabs().addAll(cartoonize, train, ablation);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("main-tabs");
        setTop(createMenus());
        setCenter(tabs);
        setBottom(createStatusBar());
        context.setNotifier(new WindowNotifier());
        // Photos dropped on another page (outside the data folder boxes) go to Cartoonize.
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && page() != Page.CARTOONIZE) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            }
        });
        setOnDragDropped(e -> {
            if (e.getDragboard().hasFiles()) {
                show(Page.CARTOONIZE);
                cartoonizeView.dropFiles(e.getDragboard().getFiles());
                e.setDropCompleted(true);
                e.consume();
            }
        });
    }

    /**
     * Switches to a page.
     *
     * @param page the page
     */
    public void show(Page page) {
        tabs.getSelectionModel().select(page.ordinal());
    }

    /** The page shown. */
    public Page page() {
        return Page.values()[Math.max(0, tabs.getSelectionModel().getSelectedIndex())];
    }

    /** The Cartoonize view. */
    public CartoonizeView cartoonizeView() {
        return cartoonizeView;
    }

    /** The Train view. */
    public TrainView trainView() {
        return trainView;
    }

    /** The ablation board. */
    public AblationView ablationView() {
        return ablationView;
    }

    /**
     * Applies a theme.
     *
     * @param darkTheme true for dark
     */
    public void setDark(boolean darkTheme) {
        dark.setSelected(darkTheme);
    }

    /** Whether the dark theme is on. */
    public boolean isDark() {
        return dark.isSelected();
    }

    private MenuBar createMenus() {
        Menu file = new Menu(i18n.tr("menu.file"));
        file.getItems().addAll(
                item("menu.file.add", "Shortcut+O", () -> {
                    show(Page.CARTOONIZE);
                    cartoonizeView.choosePhotos();
                }),
                item("menu.file.save", "Shortcut+S", cartoonizeView::saveSelected),
                item("menu.file.saveAll", "Shortcut+Shift+S", cartoonizeView::saveAll),
                item("menu.file.copy", "Shortcut+Shift+C", cartoonizeView::copySelected),
                new SeparatorMenuItem(),
                item("menu.file.exportOnnx", "Shortcut+E", cartoonizeView::exportOnnx),
                new SeparatorMenuItem(),
                item("menu.file.log", "Shortcut+Shift+L", onOpenLog),
                new SeparatorMenuItem(),
                item("menu.file.quit", "Shortcut+Q", this::quit));

        Menu view = new Menu(i18n.tr("menu.view"));
        dark.setText(i18n.tr("menu.view.dark"));
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+D"));
        dark.selectedProperty().addListener((obs, old, on) -> {
            if (on) {
                getStyleClass().add("dark");
            } else {
                getStyleClass().remove("dark");
            }
        });
        Menu language = new Menu(i18n.tr("menu.view.language"));
        ToggleGroup group = new ToggleGroup();
        for (Locale locale : I18n.LANGUAGES) {
            RadioMenuItem lang = new RadioMenuItem(locale.getDisplayName(locale));
            lang.setToggleGroup(group);
            lang.setSelected(locale.getLanguage().equals(i18n.locale().getLanguage()));
            lang.setOnAction(e -> {
                context.prefs().setText("language", locale.toLanguageTag());
                context.prefs().flush();
                offerRestart(new I18n(locale));
            });
            language.getItems().add(lang);
        }
        view.getItems().addAll(
                item("tab.cartoonize", "Shortcut+1", () -> show(Page.CARTOONIZE)),
                item("tab.train", "Shortcut+2", () -> show(Page.TRAIN)),
                item("tab.ablation", "Shortcut+3", () -> show(Page.ABLATION)),
                new SeparatorMenuItem(),
                item("menu.view.fit", "Shortcut+0", () -> cartoonizeView.viewer().fit()),
                item("menu.view.actual", "Shortcut+Shift+0", () -> cartoonizeView.viewer().actualSize()),
                item("menu.view.zoomIn", "Shortcut+Equals", () -> cartoonizeView.viewer().zoomIn()),
                item("menu.view.zoomOut", "Shortcut+Minus", () -> cartoonizeView.viewer().zoomOut()),
                item("menu.view.mode", "Shortcut+B", () -> cartoonizeView.viewer().modeProperty().set(
                        cartoonizeView.viewer().modeProperty().get() == io.github.facetoon.app.cartoonize
                                .BeforeAfterViewer.Mode.SPLIT ? io.github.facetoon.app.cartoonize.BeforeAfterViewer
                                .Mode.SIDE_BY_SIDE : io.github.facetoon.app.cartoonize.BeforeAfterViewer.Mode.SPLIT)),
                item("menu.view.landmarks", "Shortcut+L", cartoonizeView::toggleLandmarks),
                new SeparatorMenuItem(), dark, language);

        Menu training = new Menu(i18n.tr("menu.train"));
        MenuItem start = item("train.start", "Shortcut+Enter", () -> {
            show(Page.TRAIN);
            context.train().start();
        });
        start.disableProperty().bind(context.train().canStartProperty().not());
        MenuItem pause = item("menu.train.pause", "Shortcut+P", context.train()::togglePause);
        pause.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            var s = context.train().stateProperty().get();
            return s != io.github.facetoon.app.train.TrainViewModel.RunState.RUNNING
                    && s != io.github.facetoon.app.train.TrainViewModel.RunState.PAUSED;
        }, context.train().stateProperty()));
        MenuItem stop = item("train.stop", "Shortcut+Period", context.train()::stop);
        stop.disableProperty().bind(pause.disableProperty());
        training.getItems().addAll(start, pause, stop, new SeparatorMenuItem(),
                item("ablation.run", "Shortcut+Shift+Enter", () -> {
                    show(Page.ABLATION);
                    context.ablation().runAll();
                }));

        Menu help = new Menu(i18n.tr("menu.help"));
        MenuBar bar = new MenuBar(file, view, training, help);
        help.getItems().addAll(item("menu.help.guide", "F1", () -> showGuide(bar)), new SeparatorMenuItem(),
                item("menu.help.about", null, onAbout));
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private StatusBar createStatusBar() {
        status.setText(i18n.tr("status.ready"));
        Label engine = new Label(i18n.tr("status.engine.loading"));
        engine.getStyleClass().add("engine-status");
        context.engine().ready().whenComplete((e, error) -> context.pump().execute(() -> {
            if (error != null) {
                engine.setText(i18n.tr("status.engine.failed"));
                engine.getStyleClass().add("failed");
                Notifier n = context.notifier();
                n.error(i18n.tr("status.engine.failed"), io.github.facetoon.app.common.ErrorText.describe(error, i18n));
            } else {
                engine.setText(i18n.tr("status.engine.ready"));
            }
        }));
        context.train().deviceProperty().addListener((obs, old, info) -> {
            if (info != null) {
                engine.setText(info.engine() + " · " + info.description());
            }
        });
        Label training = new Label();
        training.getStyleClass().add("muted");
        // The Train page shows its own progress; the other pages show it here.
        training.textProperty().bind(Bindings.createStringBinding(() ->
                context.train().busyProperty().get() && tabs.getSelectionModel().getSelectedIndex()
                        != Page.TRAIN.ordinal() ? context.train().progressTextProperty().get() : "",
                context.train().busyProperty(), context.train().progressTextProperty(),
                tabs.getSelectionModel().selectedIndexProperty()));
        ProgressBar batch = new ProgressBar();
        batch.setPrefWidth(120);
        batch.progressProperty().bind(context.cartoonize().batchProgressProperty());
        batch.visibleProperty().bind(context.cartoonize().workingProperty()
                .and(tabs.getSelectionModel().selectedIndexProperty().isNotEqualTo(Page.CARTOONIZE.ordinal())));
        batch.managedProperty().bind(batch.visibleProperty());
        status.getRightItems().addAll(training, batch, engine);
        return status;
    }

    private MenuItem item(String key, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(i18n.tr(key));
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    /** Shows ViewModel messages: errors as notifications, everything in the status bar. */
    private final class WindowNotifier implements Notifier {
        @Override
        public void info(String message) {
            runOnFx(() -> status.setText(message));
        }

        private long lastPopup;
        private int quietErrors;

        @Override
        public void error(String title, String message) {
            runOnFx(() -> {
                long now = System.currentTimeMillis();
                // A burst (a folder of broken files) gives one popup; the rest are counted in the status bar.
                if (now - lastPopup < 4000) {
                    quietErrors++;
                    status.setText(title + ": " + message + "  " + i18n.tr("status.moreErrors", quietErrors));
                    return;
                }
                lastPopup = now;
                quietErrors = 0;
                status.setText(title + ": " + message);
                if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
                    Notifications.create().owner(getScene().getWindow()).title(title).text(message)
                            .hideAfter(Duration.seconds(10)).showError();
                }
            });
        }

        private void runOnFx(Runnable r) {
            if (Platform.isFxApplicationThread()) {
                r.run();
            } else {
                context.pump().execute(r);
            }
        }
    }


    /** File ▸ Quit and Ctrl+Q: the same question as the window's close button, then the window closes. */
    private void quit() {
        if (confirmQuit()) {
            getScene().getWindow().hide();
        }
    }

    /**
     * Asks before quitting while a training or an ablation board runs; quitting stops it after its current step, and
     * the run saves a checkpoint it can be resumed from. Every way out asks: the window's close button, File ▸ Quit
     * and Ctrl+Q.
     *
     * @return true to quit
     */
    public boolean confirmQuit() {
        boolean training = context.train().busyProperty().get();
        boolean board = context.ablation().runningProperty().get();
        if (!training && !board) {
            return true;
        }
        boolean quit = io.github.facetoon.app.common.Dialogs.confirm(this, i18n.tr("quit.title"),
                i18n.tr("quit.running"), i18n.tr("quit.yes"));
        if (quit) {
            if (training) {
                context.train().stop();
            }
            if (board) {
                context.ablation().cancel();
            }
        }
        return quit;
    }

    /**
     * Help ▸ Quick guide: the four steps of a first afternoon, and every shortcut, read from the menus themselves so
     * the list is never out of date.
     */
    private void showGuide(MenuBar bar) {
        StringBuilder keys = new StringBuilder();
        for (Menu m : bar.getMenus()) {
            for (MenuItem it : m.getItems()) {
                if (it.getAccelerator() != null && it.getText() != null) {
                    keys.append(String.format("%-18s %s › %s%n", it.getAccelerator().getDisplayText(),
                            m.getText().replace("_", ""), it.getText().replace("_", "")));
                }
            }
        }
        javafx.scene.control.TextArea shortcuts = new javafx.scene.control.TextArea(keys.toString().strip());
        shortcuts.setId("guide-shortcuts");
        shortcuts.setEditable(false);
        shortcuts.setPrefRowCount(Math.min(18, (int) keys.chars().filter(c -> c == '\n').count() + 1));
        shortcuts.getStyleClass().add("log-text");
        Label steps = new Label(i18n.tr("guide.steps"));
        steps.setWrapText(true);
        steps.setMaxWidth(640);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(10, steps, new Label(i18n.tr("guide.shortcuts")),
                shortcuts);
        javafx.scene.control.Alert a = io.github.facetoon.app.common.Dialogs.alert(this,
                javafx.scene.control.Alert.AlertType.INFORMATION, i18n.tr("guide.title"), null,
                javafx.scene.control.ButtonType.CLOSE);
        a.setTitle(i18n.tr("guide.title"));
        a.getDialogPane().setId("guide-dialog");
        a.getDialogPane().setContent(box);
        a.setResizable(true);
        a.show();
    }

    /** Starts the studio again (a new process with this one's command line) once this one closes. */
    private Runnable restarter = MainView::relaunch;

    /**
     * Replaces how the studio restarts (tests).
     *
     * @param restarter what "Restart now" does after the window closed
     */
    void setRestarter(Runnable restarter) {
        this.restarter = restarter;
    }

    /**
     * After a language change: the texts are built when the window is, so offer to restart now (asking first, as
     * every way out does, while a training runs); later, the next start shows the language.
     */
    private void offerRestart(I18n chosen) {
        boolean now = io.github.facetoon.app.common.Dialogs.confirm(this, chosen.tr("language.restart.title"),
                chosen.tr("language.restart.text"), chosen.tr("language.restart.now"));
        if (now && confirmQuit()) {
            Runnable r = restarter;
            getScene().getWindow().hide();
            r.run();
        }
    }

    private static void relaunch() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty()) {
            return;
        }
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(info.command().get());
        info.arguments().ifPresent(a -> cmd.addAll(java.util.List.of(a)));
        try {
            new ProcessBuilder(cmd).inheritIO().start();
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(MainView.class).warn("could not start the studio again: {}", e.getMessage());
        }
    }
}
