package io.github.facetoon.app.ablation;

import io.github.facetoon.app.common.FxImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.app.common.Numbers;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.CheckpointInfo;
import io.github.facetoon.engine.TestReport;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.controlsfx.control.PropertySheet;

/** The ablation board: queue weight sets, fine-tune each from one checkpoint, compare them in a grid. Wiring only. */
public final class AblationView extends BorderPane {

    private static final double CELL = 160;

    private final AblationViewModel vm;
    private final I18n i18n;
    private final Notifier notifier;
    private final Supplier<LossWeights> currentWeights;
    private final GridPane grid = new GridPane();
    private final PropertySheet sheet = new PropertySheet();
    private final ListView<WeightSet> setList;

    /**
     * Builds the view.
     *
     * @param vm its model
     * @param i18n the texts
     * @param notifier reports the export
     * @param checkpoints the workspace's checkpoints (for the base choice)
     * @param currentWeights the Train view's weights (for "add current")
     */
    public AblationView(AblationViewModel vm, I18n i18n, Notifier notifier, ObservableList<CheckpointInfo> checkpoints,
                        Supplier<LossWeights> currentWeights) {
        this.vm = vm;
        this.i18n = i18n;
        this.notifier = notifier;
        this.currentWeights = currentWeights;
        getStyleClass().add("ablation-view");
        setId("ablation-view");
        setList = new ListView<>(vm.sets());
        setTop(createSettings(checkpoints));
        setLeft(createSetEditor());
        setCenter(createGridArea());
        for (Observable o : List.<Observable>of(vm.sets(), vm.photoNames())) {
            o.addListener(obs -> rebuildGrid());
        }
        vm.sets().addListener((ListChangeListener<WeightSet>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(this::watch);
            }
        });
        vm.sets().forEach(this::watch);
        rebuildGrid();
    }

    /** The grid node (exported as PNG; for tests). */
    public GridPane grid() {
        return grid;
    }

    private void watch(WeightSet set) {
        set.reportProperty().addListener(obs -> rebuildGrid());
        set.statusProperty().addListener(obs -> rebuildGrid());
        set.weightsProperty().addListener(obs -> rebuildGrid());
        set.nameProperty().addListener(obs -> rebuildGrid());
    }

    private Node createSettings(ObservableList<CheckpointInfo> checkpoints) {
        ComboBox<Path> base = new ComboBox<>();
        base.setId("ablation-base");
        Runnable fill = () -> {
            List<Path> paths = new ArrayList<>(checkpoints.stream().map(CheckpointInfo::path).toList());
            Path chosen = vm.baseCheckpointProperty().get();
            if (chosen != null && !paths.contains(chosen)) {
                paths.add(0, chosen);
            }
            base.getItems().setAll(paths);
            base.setValue(chosen);
            vm.offerCheckpoints(checkpoints);
        };
        checkpoints.addListener((ListChangeListener<CheckpointInfo>) c -> fill.run());
        fill.run();
        base.setConverter(new StringConverter<>() {
            @Override
            public String toString(Path p) {
                if (p == null) {
                    return i18n.tr("ablation.base.none");
                }
                return io.github.facetoon.app.common.CheckpointNames.shortName(p);
            }

            @Override
            public Path fromString(String s) {
                return null;
            }
        });
        base.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.baseCheckpointProperty().set(now);
            }
        });
        vm.baseCheckpointProperty().addListener((obs, old, now) -> {
            if (now != null && !base.getItems().contains(now)) {
                base.getItems().add(0, now);
            }
            base.setValue(now);
        });
        base.setPrefWidth(240);
        Button chooseBase = new Button("…");
        chooseBase.setTooltip(new Tooltip(i18n.tr("ablation.base.choose")));
        chooseBase.setOnAction(e -> {
            io.github.facetoon.app.common.ModelFiles.choose(this, i18n, i18n.tr("ablation.base.choose"))
                    .ifPresent(vm.baseCheckpointProperty()::set);
        });

        Spinner<Integer> steps = new Spinner<>(1, 1_000_000, vm.stepsProperty().get(), 50);
        steps.setEditable(true);
        steps.setPrefWidth(100);
        steps.valueProperty().addListener((obs, old, now) -> vm.stepsProperty().set(now));
        vm.stepsProperty().addListener((obs, old, now) -> steps.getValueFactory().setValue(now.intValue()));

        ChoiceBox<Integer> size = new ChoiceBox<>(FXCollections.observableArrayList(
                io.github.facetoon.app.train.TrainViewModel.IMAGE_SIZES));
        size.setId("ablation-size");
        size.setValue(vm.imageSizeProperty().get());
        size.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.imageSizeProperty().set(now);
            }
        });
        vm.imageSizeProperty().addListener((obs, old, now) -> size.setValue(now.intValue()));
        Spinner<Integer> batch = new Spinner<>(1, 256, vm.batchSizeProperty().get());
        batch.setId("ablation-batch");
        batch.setEditable(true);
        batch.setPrefWidth(80);
        batch.valueProperty().addListener((obs, old, now) -> vm.batchSizeProperty().set(now));
        vm.batchSizeProperty().addListener((obs, old, now) -> batch.getValueFactory().setValue(now.intValue()));
        javafx.scene.control.TextField rate = io.github.facetoon.app.common.RateField.of(vm.learningRateProperty(),
                "ablation-learning-rate");
        for (Node n : List.of(size, batch, rate)) {
            n.disableProperty().bind(vm.runningProperty());
        }

        Label testLabel = new Label();
        testLabel.getStyleClass().add("path-label");
        testLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.testPhotosProperty().get() == null
                ? i18n.tr("ablation.test.default") : vm.testPhotosProperty().get().getFileName().toString(),
                vm.testPhotosProperty()));
        Button chooseTest = new Button(i18n.tr("ablation.test.choose"));
        chooseTest.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(i18n.tr("ablation.test"));
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) {
                vm.testPhotosProperty().set(dir.toPath());
            }
        });

        Label data = new Label();
        data.getStyleClass().add("muted");
        data.textProperty().bind(Bindings.createStringBinding(() -> vm.photosProperty().get() == null
                        || vm.cartoonsProperty().get() == null ? i18n.tr("ablation.data.missing")
                        : i18n.tr("ablation.data", vm.photosProperty().get().getFileName(),
                        vm.cartoonsProperty().get().getFileName()),
                vm.photosProperty(), vm.cartoonsProperty()));

        Button run = new Button(i18n.tr("ablation.run"));
        run.setId("ablation-run");
        run.getStyleClass().add("accent");
        run.disableProperty().bind(vm.runningProperty().or(Bindings.isEmpty(vm.sets()))
                .or(vm.otherRunActiveProperty()));
        run.setOnAction(e -> vm.runAll());
        Button stop = new Button(i18n.tr("ablation.stop"));
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.cancel());
        Button export = new Button(i18n.tr("ablation.export"));
        export.setId("ablation-export");
        export.setOnAction(e -> exportPng());

        FlowPane row = new FlowPane(10, 8,
                labelled("ablation.base", new HBox(4, base, chooseBase)),
                labelled("ablation.steps", steps),
                labelled("ablation.size", size),
                labelled("ablation.batch", batch),
                labelled("ablation.learningRate", rate),
                labelled("ablation.test", new HBox(6, testLabel, chooseTest)),
                data);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox buttons = new HBox(8, run, stop, spacer(), export);
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label intro = new Label(i18n.tr("ablation.intro"));
        intro.getStyleClass().add("muted");
        intro.setWrapText(true);
        VBox box = new VBox(8, intro, row, buttons);
        box.setPadding(new Insets(10, 12, 10, 12));
        box.getStyleClass().add("ablation-settings");
        return box;
    }

    private Node createSetEditor() {
        setList.setId("ablation-sets");
        setList.setPrefHeight(220);
        setList.setCellFactory(v -> new SetCell());
        Label empty = new Label(i18n.tr("ablation.sets.empty"));
        empty.getStyleClass().add("muted");
        empty.setWrapText(true);
        setList.setPlaceholder(empty);

        Button standard = new Button(i18n.tr("ablation.addStandard"));
        standard.setTooltip(new Tooltip(i18n.tr("ablation.addStandard.tip")));
        standard.setOnAction(e -> vm.addStandardSets(currentWeights.get()));
        Button current = new Button(i18n.tr("ablation.addCurrent"));
        current.setOnAction(e -> setList.getSelectionModel().select(
                vm.add(i18n.tr("ablation.set.custom", vm.sets().size() + 1), currentWeights.get())));
        Button remove = new Button(i18n.tr("ablation.remove"));
        remove.disableProperty().bind(setList.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> vm.remove(setList.getSelectionModel().getSelectedItem()));
        FlowPane buttons = new FlowPane(6, 6, standard, current, remove);

        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setPrefHeight(260);
        setList.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> fillSheet(now));
        Label sheetTitle = new Label(i18n.tr("ablation.edit"));
        sheetTitle.getStyleClass().add("section-title");

        Label title = new Label(i18n.tr("ablation.sets"));
        title.getStyleClass().add("section-title");
        VBox box = new VBox(8, title, setList, buttons, sheetTitle, sheet);
        VBox.setVgrow(sheet, Priority.ALWAYS);
        box.setPadding(new Insets(10));
        box.setPrefWidth(320);
        box.getStyleClass().add("side-panel");
        return box;
    }

    private void fillSheet(WeightSet set) {
        sheet.getItems().clear();
        if (set == null) {
            return;
        }
        sheet.getItems().add(new WeightSetItem<>(set, String.class, "name", i18n.tr("ablation.edit.name"),
                () -> set.getName(), v -> set.nameProperty().set(v)));
        for (LossTerm term : LossTerm.values()) {
            sheet.getItems().add(new WeightSetItem<>(set, Double.class, term.key(), i18n.tr(term.textKey()),
                    () -> set.getWeights().get(term), v -> {
                        if (v != null && v >= 0 && Double.isFinite(v)) {
                            set.weightsProperty().set(set.getWeights().with(term, v));
                        }
                    }));
        }
    }

    private Node createGridArea() {
        grid.getStyleClass().add("ablation-grid");
        grid.setId("ablation-grid");
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(12));
        ScrollPane scroll = new ScrollPane(grid);
        scroll.getStyleClass().add("ablation-scroll");
        return scroll;
    }

    private void rebuildGrid() {
        grid.getChildren().clear();
        List<WeightSet> sets = vm.sets();
        List<String> photos = vm.photoNames();
        if (sets.isEmpty()) {
            Label empty = new Label(i18n.tr("ablation.grid.empty"));
            empty.getStyleClass().add("muted");
            grid.add(empty, 0, 0);
            return;
        }
        Label corner = new Label(i18n.tr("ablation.grid.photo"));
        corner.getStyleClass().add("grid-corner");
        grid.add(corner, 0, 0);
        for (int c = 0; c < sets.size(); c++) {
            grid.add(header(sets.get(c)), c + 1, 0);
        }
        TestReport any = sets.stream().map(WeightSet::getReport).filter(r -> r != null).findFirst().orElse(null);
        for (int r = 0; r < photos.size(); r++) {
            VBox rowHead = new VBox(4);
            rowHead.getStyleClass().add("grid-row-head");
            if (any != null && r < any.items().size()) {
                rowHead.getChildren().add(BoardCells.imageCell(FxImages.toFx(any.items().get(r).photo()), CELL));
            }
            Label name = new Label(photos.get(r));
            name.getStyleClass().add("muted");
            name.setMaxWidth(CELL);
            rowHead.getChildren().add(name);
            grid.add(rowHead, 0, r + 1);
            for (int c = 0; c < sets.size(); c++) {
                TestReport report = sets.get(c).getReport();
                Node cell;
                if (report != null && r < report.items().size()) {
                    TestReport.Item item = report.items().get(r);
                    Label metric = new Label(i18n.tr("ablation.cell", Numbers.compact(item.l1()),
                            Double.isNaN(item.landmarkNme()) ? "–" : Numbers.compact(item.landmarkNme()))
                            + "\n" + cartoonFigures(item.score().mad(), item.score().flatGain(),
                                    item.score().inkGain()));
                    metric.getStyleClass().add("muted");
                    metric.setWrapText(true);
                    metric.setMaxWidth(CELL);
                    cell = new VBox(4, BoardCells.imageCell(FxImages.toFx(item.cartoon()), CELL), metric);
                } else {
                    StackPane empty = new StackPane(new Label(statusText(sets.get(c))));
                    empty.getStyleClass().add("grid-placeholder");
                    empty.setPrefSize(CELL, CELL);
                    cell = empty;
                }
                grid.add(cell, c + 1, r + 1);
            }
        }
    }

    private Node header(WeightSet set) {
        Label name = new Label(set.getName());
        name.getStyleClass().add("grid-set-name");
        GridPane weights = BoardCells.weightsGrid(set.getWeights());
        VBox box = new VBox(3, name, weights);
        TestReport report = set.getReport();
        if (report != null) {
            Label metrics = new Label(i18n.tr("ablation.metrics", Numbers.compact(report.meanL1()),
                    Double.isNaN(report.meanLandmarkNme()) ? "–" : Numbers.compact(report.meanLandmarkNme()),
                    report.facesFound(), report.items().size())
                    + "\n" + cartoonFigures(report.medianScore().mad(), report.medianFlatGain(),
                            report.medianInkGain()));
            metrics.getStyleClass().add("grid-metrics");
            metrics.setWrapText(true);
            metrics.setMaxWidth(CELL);
            box.getChildren().add(metrics);
        } else {
            Label status = new Label(statusText(set));
            status.getStyleClass().add("muted");
            status.setWrapText(true);
            status.setMaxWidth(CELL);
            box.getChildren().add(status);
            if (set.getStatus() == WeightSet.Status.TRAINING) {
                ProgressBar bar = new ProgressBar();
                bar.progressProperty().bind(set.progressProperty());
                bar.setPrefWidth(CELL);
                box.getChildren().add(bar);
            }
        }
        box.getStyleClass().add("grid-header");
        box.setPrefWidth(CELL);
        return box;
    }

    /** MAD, flat gain and ink gain in one short line (docs/evaluation.md defines them). */
    private String cartoonFigures(double mad, double flatGain, double inkGain) {
        return i18n.tr("ablation.cartoon", figure(mad, false), figure(flatGain, true), figure(inkGain, true));
    }

    private static String figure(double v, boolean signed) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return (signed && v > 0 ? "+" : "") + Numbers.compact(v);
    }

    private String statusText(WeightSet set) {
        switch (set.getStatus()) {
            case TRAINING:
                return i18n.tr("ablation.status.training");
            case TESTING:
                return i18n.tr("ablation.status.testing");
            case DONE:
                return i18n.tr("ablation.status.done");
            case FAILED:
                return i18n.tr("ablation.status.failed", set.messageProperty().get());
            case QUEUED:
            default:
                return set.messageProperty().get().isEmpty() ? i18n.tr("ablation.status.queued")
                        : set.messageProperty().get();
        }
    }

    /** Asks for a file and writes the grid there as PNG. */
    public void exportPng() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.tr("ablation.export"));
        chooser.setInitialFileName("ablation.png");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            exportPng(file.toPath());
        }
    }

    /**
     * Writes the grid as PNG (the snapshot is taken here, the file is written in the background).
     *
     * @param file the target
     * @return completes when written
     */
    public CompletableFuture<Path> exportPng(Path file) {
        WritableImage image = grid.snapshot(new SnapshotParameters(), null);
        return vm.exportImage(FxImages.toPixels(image), file);
    }

    private Node labelled(String key, Node field) {
        Label l = new Label(i18n.tr(key));
        l.getStyleClass().add("field-label");
        HBox box = new HBox(6, l, field);
        box.setAlignment(Pos.CENTER_LEFT);
        if (field instanceof HBox inner) {
            inner.setAlignment(Pos.CENTER_LEFT);
        }
        return box;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private final class SetCell extends ListCell<WeightSet> {
        @Override
        protected void updateItem(WeightSet set, boolean empty) {
            super.updateItem(set, empty);
            textProperty().unbind();
            if (empty || set == null) {
                setText(null);
                return;
            }
            textProperty().bind(Bindings.createStringBinding(() -> set.getName() + " — " + statusText(set),
                    set.nameProperty(), set.statusProperty(), set.messageProperty()));
        }
    }
}
