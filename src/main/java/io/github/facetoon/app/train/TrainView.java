package io.github.facetoon.app.train;

import io.github.facetoon.app.common.FxImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.LogScale;
import io.github.facetoon.app.common.Numbers;
import io.github.facetoon.app.train.TrainViewModel.InitKind;
import io.github.facetoon.app.train.TrainViewModel.RunState;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.config.TrainingConfig.Phase;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.train.TrainingEvent;
import java.io.File;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.controlsfx.control.ToggleSwitch;

/** The Train view: data, settings, live loss weights, run controls, previews, charts and checkpoints. Wiring only. */
public final class TrainView extends SplitPane {

    /** The preview images in display order. */
    static final List<String> PREVIEW_NAMES = List.of("photo", "output", "surface", "texture", "structure", "landmark");

    /** A weight's slider scale: it spans the presets and a decade or two around them. @param t the term @return it */
    static LogScale scale(LossTerm t) {
        return new LogScale(t.sliderMin(), t.sliderMax());
    }

    private static final double PREVIEW_GAP = 8;
    private static final double PREVIEW_CAPTION = 22;
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    private static final PseudoClass RUNNING = PseudoClass.getPseudoClass("running");

    private final TrainViewModel vm;
    private final I18n i18n;
    private final Consumer<CheckpointInfo> openInViewer;
    private final Supplier<Path> startFolder;
    private final Map<String, ImageView> previewViews = new LinkedHashMap<>();
    private final Map<String, LossChart> charts = new LinkedHashMap<>();
    private final Slider smoothing = new Slider(0, 0.98, 0.8);
    private final ToggleSwitch logScale = new ToggleSwitch();
    private final PauseTransition chartThrottle = new PauseTransition(Duration.millis(400));
    private final DateTimeFormatter saved;
    private final List<StackPane> previewFrames = new java.util.ArrayList<>();
    private ScrollPane previewScroll;
    private double previewAspect = 1;

    /**
     * Builds the view.
     *
     * @param vm its model
     * @param i18n the texts
     * @param openInViewer opens a checkpoint in the Cartoonize view
     * @param startFolder where the folder choosers open, may return null
     */
    public TrainView(TrainViewModel vm, I18n i18n, Consumer<CheckpointInfo> openInViewer, Supplier<Path> startFolder) {
        this.vm = vm;
        this.i18n = i18n;
        this.openInViewer = openInViewer;
        this.startFolder = startFolder;
        this.saved = DateTimeFormatter.ofLocalizedDateTime(java.time.format.FormatStyle.SHORT)
                .withLocale(i18n.locale()).withZone(ZoneId.systemDefault());
        getStyleClass().add("train-view");
        setId("train-view");
        ScrollPane side = new ScrollPane(new VBox(14, createDataSection(), createWeightsSection(),
                createSettingsSection()));
        side.setFitToWidth(true);
        side.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        side.getStyleClass().add("side-panel");
        side.setMinWidth(340);
        ((VBox) side.getContent()).setPadding(new Insets(12));

        SplitPane main = new SplitPane(createPreviews(), createCharts(), createLower());
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.27, 0.72);
        VBox right = new VBox(createRunBar(), main);
        VBox.setVgrow(main, Priority.ALWAYS);
        getItems().addAll(side, right);
        setDividerPositions(0.27);
        SplitPane.setResizableWithParent(side, false);
        wireCharts();
        // A start refused because its run name has checkpoints: ask (after the refusal's own layout pass).
        vm.runConflictProperty().addListener((obs, old, conflict) -> {
            if (conflict != null) {
                javafx.application.Platform.runLater(() -> RunConflictDialog.ask(this, vm, conflict, i18n));
            }
        });
    }

    // ---- Data ----

    private Node createDataSection() {
        // Where the data goes, as in the seed's README (FFHQ photos, AnimeGAN style frames).
        Label guide = new Label(i18n.tr("train.data.guide"));
        guide.setId("data-guide");
        guide.setWrapText(true);
        guide.getStyleClass().add("muted");
        VBox box = new VBox(10, sectionTitle(i18n.tr("train.data")), guide,
                createFolderRow(i18n.tr("train.data.photos"), "photos-folder", vm.photos()),
                createFolderRow(i18n.tr("train.data.cartoons"), "cartoons-folder", vm.cartoons()));
        box.getStyleClass().add("section");
        return box;
    }

    private Node createFolderRow(String title, String id, DatasetViewModel data) {
        Label name = new Label(title);
        name.getStyleClass().add("field-label");
        Label path = new Label();
        path.getStyleClass().add("path-label");
        path.textProperty().bind(Bindings.createStringBinding(() -> data.getFolder() == null
                ? i18n.tr("train.data.none") : data.getFolder().toString(), data.folderProperty()));
        path.setTextOverrun(javafx.scene.control.OverrunStyle.LEADING_ELLIPSIS);
        path.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(path, Priority.ALWAYS);
        Button choose = new Button(i18n.tr("train.data.choose"));
        choose.setId(id);
        choose.setOnAction(e -> chooseFolder(title).ifPresent(data.folderProperty()::set));
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(Bindings.createStringBinding(() -> {
            if (data.getFolder() == null) {
                return i18n.tr("train.data.dropHint");
            }
            if (data.scanningProperty().get()) {
                return i18n.tr("train.data.scanning");
            }
            if (data.errorProperty().get() != null) {
                return data.errorProperty().get();
            }
            return i18n.tr("train.data.count", data.countProperty().get(), data.badFiles().size());
        }, data.folderProperty(), data.scanningProperty(), data.countProperty(), data.errorProperty(),
                data.badFiles()));

        HBox strip = new HBox(4);
        strip.getStyleClass().add("thumb-strip");
        data.thumbnails().addListener((ListChangeListener<Path>) c -> fillStrip(strip, data));
        ScrollPane stripScroll = new ScrollPane(strip);
        stripScroll.setFitToHeight(true);
        stripScroll.setPrefHeight(60);
        stripScroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        stripScroll.getStyleClass().add("thumb-scroll");
        stripScroll.visibleProperty().bind(Bindings.isNotEmpty(data.thumbnails()));
        stripScroll.managedProperty().bind(stripScroll.visibleProperty());

        ListView<DatasetViewModel.BadFile> bad = new ListView<>(data.badFiles());
        bad.setPrefHeight(90);
        TitledPane badPane = new TitledPane();
        badPane.textProperty().bind(Bindings.createStringBinding(
                () -> i18n.tr("train.data.bad", data.badFiles().size()), data.badFiles()));
        badPane.setContent(bad);
        badPane.setExpanded(false);
        badPane.getStyleClass().add("bad-files");
        badPane.visibleProperty().bind(Bindings.isNotEmpty(data.badFiles()));
        badPane.managedProperty().bind(badPane.visibleProperty());

        HBox row = new HBox(8, path, choose);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, name, row, count, stripScroll, badPane);
        box.getStyleClass().add("folder-box");
        box.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        box.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            File dir = files.stream().filter(File::isDirectory).findFirst().orElse(null);
            if (dir != null) {
                data.folderProperty().set(dir.toPath());
            }
            e.setDropCompleted(dir != null);
            e.consume();
        });
        return box;
    }

    private void fillStrip(HBox strip, DatasetViewModel data) {
        strip.getChildren().clear();
        for (Path p : data.thumbnails()) {
            // Background loading: decoding happens off the FX thread; the strip fills in as images arrive.
            Image img = new Image(p.toUri().toString(), 52, 52, true, true, true);
            img.errorProperty().addListener((obs, old, failed) -> {
                if (failed) {
                    data.reportBadFile(p, i18n.tr("train.data.undecodable"));
                }
            });
            ImageView view = new ImageView(img);
            view.setFitHeight(52);
            view.setPreserveRatio(true);
            StackPane cell = new StackPane(view);
            cell.getStyleClass().add("thumb");
            Tooltip.install(cell, new Tooltip(p.getFileName().toString()));
            strip.getChildren().add(cell);
        }
    }

    // ---- Settings ----

    private Node createSettingsSection() {
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(110);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        grid.getColumnConstraints().addAll(labels, fields);

        ChoiceBox<Phase> phase = new ChoiceBox<>();
        phase.getItems().addAll(Phase.PRETRAIN, Phase.TRAIN);
        phase.setConverter(converter(p -> i18n.tr(p == Phase.PRETRAIN ? "phase.pretrain" : "phase.train")));
        phase.valueProperty().bindBidirectional(vm.phaseProperty());
        phase.setTooltip(new Tooltip(i18n.tr("train.phase.tip")));

        ChoiceBox<Integer> size = new ChoiceBox<>();
        size.getItems().addAll(TrainViewModel.IMAGE_SIZES);
        size.setConverter(converter(v -> v + " px"));
        size.setValue(vm.imageSizeProperty().get());
        size.valueProperty().addListener((obs, old, now) -> vm.imageSizeProperty().set(now));
        vm.imageSizeProperty().addListener((obs, old, now) -> size.setValue(now.intValue()));

        Spinner<Integer> batch = intSpinner(1, 256, vm.batchSizeProperty(), 1);
        Spinner<Integer> iterations = intSpinner(1, 10_000_000, vm.iterationsProperty(), 1000);
        Spinner<Integer> saveEvery = intSpinner(1, 1_000_000, vm.saveEveryProperty(), 100);

        TextField version = new TextField();
        version.textProperty().bindBidirectional(vm.modelVersionProperty());
        version.setTooltip(new Tooltip(i18n.tr("train.version.tip")));

        ChoiceBox<InitKind> init = new ChoiceBox<>();
        init.getItems().addAll(InitKind.SCRATCH, InitKind.FILE);
        Runnable offerBundled = () -> {
            if (vm.bundledPretrainedProperty().get() != null && !init.getItems().contains(InitKind.BUNDLED)) {
                init.getItems().add(1, InitKind.BUNDLED);
            }
        };
        offerBundled.run();
        vm.bundledPretrainedProperty().addListener(obs -> offerBundled.run());
        init.setConverter(converter(k -> {
            switch (k) {
                case BUNDLED:
                    return i18n.tr("train.init.bundled");
                case FILE:
                    Path f = vm.initFileProperty().get();
                    return f == null ? i18n.tr("train.init.file") : f.getFileName().toString();
                case SCRATCH:
                default:
                    return i18n.tr("train.init.scratch");
            }
        }));
        init.valueProperty().bindBidirectional(vm.initKindProperty());
        Button chooseInit = new Button("…");
        chooseInit.setTooltip(new Tooltip(i18n.tr("train.init.choose")));
        chooseInit.setOnAction(e -> {
            io.github.facetoon.app.common.ModelFiles.choose(this, i18n, i18n.tr("train.init.choose")).ifPresent(f -> {
                vm.initFileProperty().set(f);
                vm.initKindProperty().set(InitKind.SCRATCH);
                vm.initKindProperty().set(InitKind.FILE);
            });
        });
        HBox initRow = new HBox(6, init, chooseInit);
        HBox.setHgrow(init, Priority.ALWAYS);
        init.setMaxWidth(Double.MAX_VALUE);

        Label device = new Label();
        device.textProperty().bind(vm.deviceTextProperty());
        device.setWrapText(true);
        device.getStyleClass().add("device-label");

        ToggleSwitch previews = new ToggleSwitch();
        previews.selectedProperty().bindBidirectional(vm.previewsEnabledProperty());

        Spinner<Integer> keep = new Spinner<>(1, 1000, vm.keepLastProperty().get());
        keep.setId("train-keep-last");
        keep.setEditable(true);
        keep.setTooltip(new Tooltip(i18n.tr("train.keepLast.tip")));
        keep.valueProperty().addListener((obs, old, now) -> vm.keepLastProperty().set(now));
        vm.keepLastProperty().addListener((obs, old, now) -> keep.getValueFactory().setValue(now.intValue()));

        TextField rate = io.github.facetoon.app.common.RateField.of(vm.learningRateProperty(), "train-learning-rate");
        rate.setTooltip(new Tooltip(i18n.tr("train.learningRate.tip")));

        ChoiceBox<Integer> threads = new ChoiceBox<>();
        threads.setId("train-threads");
        int cores = Runtime.getRuntime().availableProcessors();
        for (int t = 0; t <= cores; t++) {
            threads.getItems().add(t);
        }
        threads.setConverter(converter(t -> t == 0 ? i18n.tr("train.threads.auto", cores) : String.valueOf(t)));
        threads.setValue(vm.threadsProperty().get());
        threads.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.threadsProperty().set(now);
            }
        });
        vm.threadsProperty().addListener((obs, old, now) -> threads.setValue(now.intValue()));
        threads.setTooltip(new Tooltip(i18n.tr("train.threads.tip")));

        int r = 0;
        grid.addRow(r++, fieldLabel("train.phase"), phase);
        grid.addRow(r++, fieldLabel("train.imageSize"), size);
        grid.addRow(r++, fieldLabel("train.batch"), batch);
        grid.addRow(r++, fieldLabel("train.iterations"), iterations);
        grid.addRow(r++, fieldLabel("train.saveEvery"), saveEvery);
        grid.addRow(r++, fieldLabel("train.keepLast"), keep);
        grid.addRow(r++, fieldLabel("train.version"), version);
        grid.addRow(r++, fieldLabel("train.init"), initRow);
        grid.addRow(r++, fieldLabel("train.learningRate"), rate);
        grid.addRow(r++, fieldLabel("train.device"), device);
        grid.addRow(r++, fieldLabel("train.threads"), threads);
        grid.addRow(r, fieldLabel("train.previews"), previews);
        for (Node n : List.of(phase, size, batch, iterations, saveEvery, keep, version, initRow)) {
            n.disableProperty().bind(vm.busyProperty());
        }
        for (var c : List.of(phase, size)) {
            c.setMaxWidth(Double.MAX_VALUE);
        }
        VBox box = new VBox(10, sectionTitle(i18n.tr("train.settings")), grid);
        box.getStyleClass().add("section");
        return box;
    }

    // ---- Weights ----

    private Node createWeightsSection() {
        MenuButton presets = new MenuButton(i18n.tr("weights.presets"));
        presets.setId("weight-presets");
        presets.getItems().addAll(
                presetItem("weights.preset.whitebox", LossWeights.whiteBoxOriginal()),
                presetItem("weights.preset.seed", LossWeights.seedReadme()),
                presetItem("weights.preset.paper", LossWeights.paper()));
        Label hint = new Label(i18n.tr("weights.hint"));
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints name = new ColumnConstraints();
        name.setMinWidth(78);
        ColumnConstraints slider = new ColumnConstraints();
        slider.setHgrow(Priority.ALWAYS);
        ColumnConstraints field = new ColumnConstraints(72);
        grid.getColumnConstraints().addAll(name, slider, field);
        for (LossTerm t : LossTerm.values()) {
            addWeightRow(grid, t);
        }
        HBox head = new HBox(8, sectionTitle(i18n.tr("weights.title")), spacer(), presets);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, head, hint, grid);
        box.getStyleClass().add("section");
        box.pseudoClassStateChanged(RUNNING, false);
        vm.stateProperty().addListener((obs, old, now) -> box.pseudoClassStateChanged(RUNNING,
                now == RunState.RUNNING || now == RunState.PAUSED));
        return box;
    }

    private MenuItem presetItem(String key, LossWeights weights) {
        MenuItem item = new MenuItem(i18n.tr(key));
        item.setOnAction(e -> vm.applyPreset(weights));
        return item;
    }

    private void addWeightRow(GridPane grid, LossTerm term) {
        LogScale scale = scale(term);
        Label label = new Label(i18n.tr(term.textKey()));
        Tooltip tip = new Tooltip(i18n.tr(term.textKey() + ".tip"));
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tip.setShowDelay(Duration.millis(300));
        label.setTooltip(tip);
        label.getStyleClass().add("weight-name");

        Slider slider = new Slider(0, 1, scale.position(vm.weightProperty(term).get()));
        slider.setId("weight-slider-" + term.key());
        slider.setTooltip(tip);
        slider.setBlockIncrement(0.02);
        TextField field = new TextField(Numbers.compact(vm.weightProperty(term).get()));
        field.setId("weight-field-" + term.key());
        field.getStyleClass().add("weight-field");

        boolean[] updating = {false};
        // Slider -> model: committed when the drag ends (or at once for clicks and keys), so a run gets one
        // change per gesture; the field shows the value while dragging.
        slider.valueProperty().addListener((obs, old, now) -> {
            if (updating[0]) {
                return;
            }
            double v = scale.value(now.doubleValue());
            field.setText(Numbers.compact(v));
            if (!slider.isValueChanging()) {
                commitGesture(term, v, updating, slider, field);
            }
        });
        slider.valueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                commitGesture(term, scale.value(slider.getValue()), updating, slider, field);
            }
        });
        // Field -> model.
        Runnable fromField = () -> {
            try {
                double v = Numbers.parse(field.getText());
                if (v < 0 || !Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                field.pseudoClassStateChanged(INVALID, false);
                commit(term, v, updating);
                updating[0] = true;
                slider.setValue(scale.position(v));
                updating[0] = false;
            } catch (NumberFormatException ex) {
                field.pseudoClassStateChanged(INVALID, true);
            }
        };
        field.setOnAction(e -> fromField.run());
        field.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused) {
                fromField.run();
            }
        });
        // Model -> controls (presets, resume).
        vm.weightProperty(term).addListener((obs, old, now) -> {
            if (updating[0]) {
                return;
            }
            updating[0] = true;
            slider.setValue(scale.position(now.doubleValue()));
            field.setText(Numbers.compact(now.doubleValue()));
            field.pseudoClassStateChanged(INVALID, false);
            updating[0] = false;
        });
        grid.addRow(term.ordinal(), label, slider, field);
    }

    /** Weights a slider gesture may change by without asking, during a run. */
    static final double ASK_ABOVE_FACTOR = 10;

    /**
     * A slider gesture's value: during a run, a change of more than {@value #ASK_ABOVE_FACTOR}x in one go (a long drag
     * on a log scale) is asked about first, since it can wreck the run in a few steps; typing a value never asks.
     */
    private void commitGesture(LossTerm term, double value, boolean[] updating, Slider slider, TextField field) {
        double before = vm.weightProperty(term).get();
        double factor = before > 0 && value > 0 ? Math.max(value / before, before / value) : before == value ? 1
                : Double.POSITIVE_INFINITY;
        if (vm.busyProperty().get() && factor > ASK_ABOVE_FACTOR) {
            String name = i18n.tr(term.textKey());
            boolean yes = io.github.facetoon.app.common.Dialogs.confirm(this, i18n.tr("weights.bigChange.title", name),
                    i18n.tr("weights.bigChange.text", name, Numbers.compact(before), Numbers.compact(value),
                            Numbers.compact(factor)), i18n.tr("weights.bigChange.yes"));
            if (!yes) {
                updating[0] = true;
                try {
                    slider.setValue(scale(term).position(before));
                    field.setText(Numbers.compact(before));
                } finally {
                    updating[0] = false;
                }
                return;
            }
        }
        commit(term, value, updating);
    }

    private void commit(LossTerm term, double value, boolean[] updating) {
        updating[0] = true;
        try {
            vm.weightProperty(term).set(value);
        } finally {
            updating[0] = false;
        }
    }

    // ---- Run bar ----

    private Node createRunBar() {
        Button start = new Button(i18n.tr("train.start"));
        start.setId("train-start");
        start.getStyleClass().add("accent");
        start.setTooltip(new Tooltip(i18n.tr("train.start.tip")));
        start.disableProperty().bind(vm.canStartProperty().not());
        start.setOnAction(e -> vm.start());

        Button pause = new Button();
        pause.setId("train-pause");
        pause.textProperty().bind(Bindings.when(vm.stateProperty().isEqualTo(RunState.PAUSED))
                .then(i18n.tr("train.resume")).otherwise(i18n.tr("train.pause")));
        pause.setTooltip(new Tooltip(i18n.tr("train.pause.tip")));
        pause.disableProperty().bind(vm.stateProperty().isNotEqualTo(RunState.RUNNING)
                .and(vm.stateProperty().isNotEqualTo(RunState.PAUSED)));
        pause.setOnAction(e -> vm.togglePause());

        Button stop = new Button(i18n.tr("train.stop"));
        stop.setId("train-stop");
        stop.setTooltip(new Tooltip(i18n.tr("train.stop.tip")));
        stop.disableProperty().bind(pause.disableProperty());
        stop.setOnAction(e -> vm.stop());

        Label phase = new Label();
        phase.getStyleClass().add("phase-badge");
        phase.textProperty().bind(Bindings.createStringBinding(() -> {
            Phase p = vm.runPhaseProperty().get();
            if (p == null || vm.stateProperty().get() == RunState.IDLE) {
                return i18n.tr("train.state.idle");
            }
            String name = i18n.tr(p == Phase.PRETRAIN ? "phase.pretrain" : "phase.train");
            return vm.stateProperty().get() == RunState.PAUSED ? name + " · " + i18n.tr("train.state.paused") : name;
        }, vm.runPhaseProperty(), vm.stateProperty()));

        ProgressBar bar = new ProgressBar();
        bar.setId("train-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label text = new Label();
        text.setId("train-progress-text");
        text.textProperty().bind(vm.progressTextProperty());
        text.getStyleClass().add("progress-text");
        text.setMinWidth(Region.USE_PREF_SIZE);

        Label hint = new Label();
        hint.setId("train-start-hint");
        hint.getStyleClass().add("muted");
        hint.textProperty().bind(Bindings.when(vm.stateProperty().isEqualTo(RunState.IDLE))
                .then(vm.startHintProperty()).otherwise(""));
        hint.visibleProperty().bind(hint.textProperty().isNotEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        Button estimate = new Button(i18n.tr("train.estimate.button"));
        estimate.setId("train-estimate");
        estimate.setTooltip(new Tooltip(i18n.tr("train.estimate.tip")));
        estimate.disableProperty().bind(vm.canStartProperty().not().or(vm.estimatingProperty()));
        estimate.setOnAction(e -> vm.estimate());
        estimate.visibleProperty().bind(vm.stateProperty().isEqualTo(RunState.IDLE));
        estimate.managedProperty().bind(estimate.visibleProperty());
        Label cost = new Label();
        cost.setId("train-estimate-text");
        cost.getStyleClass().add("muted");
        cost.textProperty().bind(vm.estimateTextProperty());
        cost.visibleProperty().bind(vm.stateProperty().isEqualTo(RunState.IDLE).and(cost.textProperty().isNotEmpty()));
        cost.managedProperty().bind(cost.visibleProperty());
        HBox box = new HBox(8, start, pause, stop, phase, hint, estimate, cost, bar, text);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 12, 8, 12));
        box.getStyleClass().add("run-bar");
        return box;
    }

    // ---- Previews ----

    private Node createPreviews() {
        FlowPane tiles = new FlowPane(PREVIEW_GAP, PREVIEW_GAP);
        tiles.setPadding(new Insets(8));
        tiles.getStyleClass().add("preview-tiles");
        for (String name : PREVIEW_NAMES) {
            ImageView view = new ImageView();
            view.setId("preview-" + name);
            view.setPreserveRatio(true);
            view.setSmooth(true);
            previewViews.put(name, view);
            Label caption = new Label(i18n.tr("preview." + name));
            caption.getStyleClass().add("preview-caption");
            Tooltip.install(caption, new Tooltip(i18n.tr("preview." + name + ".tip")));
            StackPane frame = new StackPane(view);
            frame.getStyleClass().add("preview-frame");
            // A click shows the preview large, as the engine made it (pixel for pixel, up to the window's size).
            frame.setCursor(javafx.scene.Cursor.HAND);
            Tooltip.install(frame, new Tooltip(i18n.tr("preview.enlarge")));
            frame.setOnMouseClicked(e -> enlarge(name, view));
            previewFrames.add(frame);
            VBox pane = new VBox(4, frame, caption);
            pane.setAlignment(Pos.TOP_CENTER);
            tiles.getChildren().add(pane);
        }
        Label notes = new Label(i18n.tr("preview.waiting"));
        notes.getStyleClass().add("muted");
        notes.setWrapText(true);
        vm.previewProperty().addListener((obs, old, ready) -> {
            if (ready == null) {
                return;
            }
            for (TrainingEvent.NamedImage named : ready.images()) {
                ImageView view = previewViews.get(named.name());
                if (view != null) {
                    view.setImage(FxImages.toFx(named.image()));
                    previewAspect = named.image().width() / (double) named.image().height();
                }
            }
            layoutPreviews();
            String iter = i18n.tr("preview.at", ready.iteration());
            notes.setText(ready.notes().isEmpty() ? iter : iter + " · " + String.join(" · ", ready.notes()));
        });
        ScrollPane scroll = new ScrollPane(new VBox(2, tiles, padded(notes)));
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("preview-scroll");
        previewScroll = scroll;
        scroll.viewportBoundsProperty().addListener((obs, old, now) -> layoutPreviews());
        layoutPreviews();
        return scroll;
    }

    /** Shows one preview large in a dialog that follows the live preview until it is closed. */
    private void enlarge(String name, ImageView small) {
        if (small.getImage() == null) {
            return;
        }
        ImageView big = new ImageView();
        big.setId("preview-large");
        big.setPreserveRatio(true);
        big.imageProperty().bind(small.imageProperty());
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        big.fitWidthProperty().bind(Bindings.createDoubleBinding(() -> small.getImage() == null ? 0
                : Math.min(small.getImage().getWidth() * 2, screen.getWidth() * 0.8), small.imageProperty()));
        big.fitHeightProperty().bind(Bindings.createDoubleBinding(() -> small.getImage() == null ? 0
                : Math.min(small.getImage().getHeight() * 2, screen.getHeight() * 0.7), small.imageProperty()));
        javafx.scene.control.Alert a = io.github.facetoon.app.common.Dialogs.alert(this,
                javafx.scene.control.Alert.AlertType.NONE, i18n.tr("preview." + name), null,
                javafx.scene.control.ButtonType.CLOSE);
        a.setTitle(i18n.tr("preview." + name));
        a.getDialogPane().setId("preview-dialog");
        a.getDialogPane().setContent(new StackPane(big));
        a.setResizable(true);
        a.setOnHidden(e -> big.imageProperty().unbind());
        a.show();
    }

    /**
     * Sizes the six previews so that all of them fit the pane: tries every column count and keeps the one with
     * the largest images (a preview can be one image or a whole batch side by side).
     */
    private void layoutPreviews() {
        // Leave room for the padding, a scroll bar and the iteration note, so a row never wraps by a pixel.
        double w = previewScroll == null ? 0 : previewScroll.getViewportBounds().getWidth() - 36;
        double h = previewScroll == null ? 0 : previewScroll.getViewportBounds().getHeight() - 16 - 24;
        double best = 0;
        if (w > 0 && h > 0) {
            int n = PREVIEW_NAMES.size();
            for (int cols = 1; cols <= n; cols++) {
                int rows = (n + cols - 1) / cols;
                double tileW = (w - (cols - 1) * PREVIEW_GAP) / cols - 4;
                double tileH = (h - (rows - 1) * PREVIEW_GAP) / rows - 4 - PREVIEW_CAPTION;
                best = Math.max(best, Math.min(tileW, tileH * previewAspect));
            }
        }
        double width = Math.floor(Math.max(72, Math.min(best, 260 * Math.max(1, previewAspect))));
        double height = width / previewAspect;
        for (StackPane frame : previewFrames) {
            frame.setMinSize(width + 4, height + 4);
            frame.setPrefSize(width + 4, height + 4);
            frame.setMaxSize(width + 4, height + 4);
            ImageView view = (ImageView) frame.getChildren().get(0);
            view.setFitWidth(width);
            view.setFitHeight(height);
        }
    }

    // ---- Charts ----

    private Node createCharts() {
        charts.put("total", new LossChart(i18n.tr("chart.total")));
        for (LossTerm term : LossTerm.values()) {
            charts.put(term.key(), new LossChart(i18n.tr(term.textKey())));
        }
        charts.put("d", new LossChart(i18n.tr("chart.d"), i18n.tr("chart.d.surface"), i18n.tr("chart.d.texture")));
        GridPane grid = new GridPane();
        grid.setHgap(4);
        grid.setVgap(4);
        int i = 0;
        for (LossChart chart : charts.values()) {
            chart.setMinSize(120, 110);
            chart.setPrefSize(260, 170);
            GridPane.setHgrow(chart, Priority.ALWAYS);
            GridPane.setVgrow(chart, Priority.ALWAYS);
            grid.add(chart, i % 4, i / 4);
            Bindings.bindContent(chart.markIterations(), vm.weightChanges());
            Bindings.bindContent(chart.rollbackIterations(), vm.rollbacks());
            i++;
        }
        Label smoothLabel = new Label(i18n.tr("chart.smoothing"));
        smoothing.setPrefWidth(140);
        smoothing.setTooltip(new Tooltip(i18n.tr("chart.smoothing.tip")));
        logScale.setText(i18n.tr("chart.log"));
        logScale.setId("chart-log");
        Label legend = new Label(i18n.tr("chart.marks"));
        legend.getStyleClass().add("muted");
        legend.setTooltip(new Tooltip(i18n.tr("chart.marks")));
        // In a narrow window the legend gives way first; the title and the controls keep their words.
        legend.setMinWidth(0);
        Label chartTitle = sectionTitle(i18n.tr("chart.title"));
        chartTitle.setMinWidth(Region.USE_PREF_SIZE);
        smoothLabel.setMinWidth(Region.USE_PREF_SIZE);
        smoothing.setMinWidth(60);
        HBox options = new HBox(10, chartTitle, spacer(), legend, smoothLabel, smoothing,
                logScale);
        options.setAlignment(Pos.CENTER_LEFT);
        options.setPadding(new Insets(6, 10, 0, 10));
        VBox box = new VBox(4, options, grid);
        VBox.setVgrow(grid, Priority.ALWAYS);
        box.getStyleClass().add("charts");
        return box;
    }

    private void wireCharts() {
        // Redraw at most every 400 ms: calm charts, and no cost per engine step.
        chartThrottle.setOnFinished(e -> renderCharts());
        vm.historyVersionProperty().addListener((obs, old, now) -> {
            if (chartThrottle.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                chartThrottle.playFromStart();
            }
        });
        smoothing.valueProperty().addListener(obs -> renderCharts());
        logScale.selectedProperty().addListener((obs, old, on) -> {
            charts.values().forEach(c -> c.setLogScale(on));
            renderCharts();
        });
    }

    private void renderCharts() {
        LossHistory h = vm.history();
        double a = smoothing.getValue();
        int max = 300;
        String total = h.size(LossTerm.TOTAL_KEY) > 0 ? LossTerm.TOTAL_KEY : LossTerm.PRETRAIN_KEY;
        charts.get("total").setPoints(0, h.smoothed(total, a, max));
        for (LossTerm term : LossTerm.values()) {
            charts.get(term.key()).setPoints(0, h.smoothed(term.key(), a, max));
        }
        charts.get("d").setPoints(0, h.smoothed(LossTerm.SURFACE_DISCRIMINATOR_KEY, a, max));
        charts.get("d").setPoints(1, h.smoothed(LossTerm.TEXTURE_DISCRIMINATOR_KEY, a, max));
    }

    // ---- Checkpoints and log ----

    private Node createLower() {
        TableView<CheckpointInfo> table = new TableView<>(vm.checkpoints());
        table.setId("checkpoints");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column(i18n.tr("ckpt.version"), 110, CheckpointInfo::modelVersion));
        table.getColumns().add(column(i18n.tr("ckpt.phase"), 80,
                c -> i18n.tr(c.phase() == Phase.PRETRAIN ? "phase.pretrain" : "phase.train")));
        table.getColumns().add(column(i18n.tr("ckpt.iteration"), 80, c -> String.format("%,d", c.iteration())));
        table.getColumns().add(column(i18n.tr("ckpt.size"), 60, c -> c.imageSize() + " px"));
        table.getColumns().add(column(i18n.tr("ckpt.saved"), 110,
                c -> c.saved() == null ? "" : saved.format(c.saved())));
        table.getColumns().add(column(i18n.tr("ckpt.weights"), 360, c -> c.weights() == null ? "" : weightsText(c.weights())));
        Label empty = new Label(i18n.tr("ckpt.empty"));
        empty.getStyleClass().add("muted");
        table.setPlaceholder(empty);
        table.setRowFactory(t -> {
            TableRow<CheckpointInfo> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openInViewer.accept(row.getItem());
                }
            });
            return row;
        });
        Button open = new Button(i18n.tr("ckpt.open"));
        open.setTooltip(new Tooltip(i18n.tr("ckpt.open.tip")));
        open.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        open.setOnAction(e -> openInViewer.accept(table.getSelectionModel().getSelectedItem()));
        Button resume = new Button(i18n.tr("ckpt.resume"));
        resume.setTooltip(new Tooltip(i18n.tr("ckpt.resume.tip")));
        resume.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(vm.busyProperty()));
        resume.setOnAction(e -> vm.resumeFrom(table.getSelectionModel().getSelectedItem()));
        Button startFrom = new Button(i18n.tr("ckpt.startFrom"));
        startFrom.setTooltip(new Tooltip(i18n.tr("ckpt.startFrom.tip")));
        startFrom.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(vm.busyProperty()));
        startFrom.setOnAction(e -> vm.startFrom(table.getSelectionModel().getSelectedItem()));
        Button refresh = new Button(i18n.tr("ckpt.refresh"));
        refresh.setOnAction(e -> vm.refreshCheckpoints());
        HBox buttons = new HBox(8, open, resume, startFrom, refresh);
        buttons.setPadding(new Insets(6, 0, 0, 0));
        VBox ckptBox = new VBox(table, buttons);
        VBox.setVgrow(table, Priority.ALWAYS);
        ckptBox.setPadding(new Insets(6));

        ListView<String> log = new ListView<>(vm.runLog());
        log.setId("run-log");
        Label quiet = new Label(i18n.tr("runlog.empty"));
        quiet.getStyleClass().add("muted");
        log.setPlaceholder(quiet);
        vm.runLog().addListener((ListChangeListener<String>) c -> log.scrollTo(vm.runLog().size() - 1));

        Tab ckptTab = new Tab(i18n.tr("ckpt.title"), ckptBox);
        Tab logTab = new Tab(i18n.tr("runlog.title"), log);
        logTab.textProperty().bind(Bindings.createStringBinding(() -> vm.runLog().isEmpty()
                ? i18n.tr("runlog.title") : i18n.tr("runlog.title") + " (" + vm.runLog().size() + ")", vm.runLog()));
        Tab runsTab = new Tab(i18n.tr("runs.title"), new RunsPane(vm.runs(), i18n));
        runsTab.setId("runs-tab");
        TabPane tabs = new TabPane(ckptTab, runsTab, logTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    private static String weightsText(LossWeights w) {
        StringBuilder sb = new StringBuilder();
        for (LossTerm t : LossTerm.values()) {
            if (t.ordinal() > 0) {
                sb.append("  ");
            }
            sb.append(t.key()).append(' ').append(Numbers.compact(w.get(t)));
        }
        return sb.toString();
    }

    private static TableColumn<CheckpointInfo, String> column(String title, double width,
                                                              java.util.function.Function<CheckpointInfo, String> text) {
        TableColumn<CheckpointInfo, String> col = new TableColumn<>(title);
        col.setPrefWidth(width);
        col.setCellValueFactory(c -> new ReadOnlyStringWrapper(text.apply(c.getValue())));
        return col;
    }

    // ---- Helpers ----

    private java.util.Optional<Path> chooseFolder(String title) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        Path start = startFolder.get();
        if (start != null && start.toFile().isDirectory()) {
            chooser.setInitialDirectory(start.toFile());
        }
        File dir = chooser.showDialog(getScene().getWindow());
        return java.util.Optional.ofNullable(dir).map(File::toPath);
    }

    private Spinner<Integer> intSpinner(int min, int max, javafx.beans.property.IntegerProperty property, int step) {
        Spinner<Integer> spinner = new Spinner<>(min, max, property.get(), step);
        spinner.setEditable(true);
        spinner.setMaxWidth(Double.MAX_VALUE);
        spinner.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                property.set(now);
            }
        });
        property.addListener((obs, old, now) -> spinner.getValueFactory().setValue(now.intValue()));
        // Commit typed text when focus leaves, as users expect.
        spinner.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused) {
                try {
                    int typed = Integer.parseInt(spinner.getEditor().getText().trim().replace(",", ""));
                    spinner.getValueFactory().setValue(Math.max(min, Math.min(max, typed)));
                } catch (NumberFormatException e) {
                    // Not a number: show the value in force again.
                }
                spinner.getEditor().setText(String.valueOf(spinner.getValue()));
            }
        });
        return spinner;
    }

    private Label fieldLabel(String key) {
        Label l = new Label(i18n.tr(key));
        l.getStyleClass().add("field-label");
        return l;
    }

    private static Label sectionTitle(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static Node padded(Node n) {
        HBox box = new HBox(n);
        box.setPadding(new Insets(0, 10, 6, 10));
        return box;
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> f) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : f.apply(t);
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
    }

}
