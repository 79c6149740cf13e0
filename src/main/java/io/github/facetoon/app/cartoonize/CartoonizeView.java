package io.github.facetoon.app.cartoonize;

import io.github.facetoon.app.common.FxImages;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.engine.CartoonOptions;
import io.github.facetoon.engine.CartoonResult;
import io.github.facetoon.engine.ModelChoice;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Clipboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.ToggleSwitch;

/** The Cartoonize view: drop photos, see each before and after, save them. Wiring only. */
public final class CartoonizeView extends BorderPane {

    private static final PseudoClass DRAG_OVER = PseudoClass.getPseudoClass("drag-over");
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final CartoonizeViewModel vm;
    private final I18n i18n;
    private final BeforeAfterViewer viewer = new BeforeAfterViewer();
    private final ToggleSwitch landmarks = new ToggleSwitch();
    private final Label madeWith = new Label();
    private final Supplier<Path> startFolder;
    private java.util.function.Consumer<Path> opener = p -> { };

    /**
     * Builds the view.
     *
     * @param vm its model
     * @param i18n the texts
     * @param startFolder where the file choosers open (last folder used), may return null
     */
    public CartoonizeView(CartoonizeViewModel vm, I18n i18n, Supplier<Path> startFolder) {
        this.vm = vm;
        this.i18n = i18n;
        this.startFolder = startFolder;
        getStyleClass().add("cartoonize-view");
        setId("cartoonize-view");
        setTop(createToolBars());
        setLeft(createList());
        BorderPane center = new BorderPane(createViewerArea());
        center.setBottom(createVideoBar());
        setCenter(center);
        setBottom(createViewerBar());
        wireDrop();
        wireViewer();
    }

    /** The viewer (for the app's zoom shortcuts and tests). */
    public BeforeAfterViewer viewer() {
        return viewer;
    }

    /** Two rows: photos and model, then how the cartoon is made (size, strength); both fit a 1024-px window. */
    private VBox createToolBars() {
        Button add = new Button(i18n.tr("cartoonize.add"));
        add.setId("add-photos");
        add.setTooltip(new Tooltip(i18n.tr("cartoonize.add.tip")));
        add.setOnAction(e -> choosePhotos());
        Button addFolder = new Button(i18n.tr("cartoonize.addFolder"));
        addFolder.setOnAction(e -> chooseFolder());

        ComboBox<ModelChoice> model = new ComboBox<>(vm.models());
        model.setId("model-choice");
        model.setConverter(new StringConverter<>() {
            @Override
            public String toString(ModelChoice m) {
                return m == null ? "" : modelLabel(m);
            }

            @Override
            public ModelChoice fromString(String s) {
                return null;
            }
        });
        model.setValue(vm.modelProperty().get());
        vm.modelProperty().addListener((obs, old, now) -> model.setValue(now));
        // A new checkpoint refills the list; the combo box would lose its selection and go blank.
        vm.models().addListener((javafx.collections.ListChangeListener<ModelChoice>) c -> {
            if (model.getValue() == null || !model.getValue().equals(vm.modelProperty().get())) {
                model.setValue(vm.modelProperty().get());
            }
        });
        model.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.useModel(now);
            }
        });
        model.setPrefWidth(260);
        Button chooseModel = new Button(i18n.tr("cartoonize.modelFile"));
        chooseModel.setTooltip(new Tooltip(i18n.tr("cartoonize.modelFile.tip")));
        chooseModel.setOnAction(e -> chooseCheckpoint());

        ComboBox<Integer> size = new ComboBox<>(FXCollections.observableArrayList(CartoonizeViewModel.OUTPUT_SIZES));
        size.setId("size-choice");
        size.setTooltip(new Tooltip(i18n.tr("cartoonize.size.tip")));
        size.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer px) {
                if (px == null) {
                    return "";
                }
                if (px == CartoonOptions.ORIGINAL) {
                    return i18n.tr("cartoonize.size.original");
                }
                return px == CartoonOptions.UHD_4K ? "4K" : px + "p";
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        size.setValue(vm.maxSideProperty().get());
        vm.maxSideProperty().addListener((obs, old, now) -> size.setValue(now.intValue()));
        size.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.useSize(now);
            }
        });

        Slider strength = new Slider(0, 1.5, vm.strengthProperty().get());
        strength.setId("strength-slider");
        strength.setPrefWidth(120);
        strength.setMajorTickUnit(0.5);
        strength.setBlockIncrement(0.1);
        strength.setTooltip(new Tooltip(i18n.tr("cartoonize.strength.tip")));
        Label strengthValue = new Label();
        strengthValue.setId("strength-value");
        strengthValue.setMinWidth(32);
        strengthValue.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%.2f", strength.getValue()), strength.valueProperty()));
        vm.strengthProperty().addListener((obs, old, now) -> {
            if (!strength.isValueChanging()) {
                strength.setValue(now.doubleValue());
            }
        });
        // The photo is made again when the slider is released (or moved by the keyboard), not on every pixel.
        strength.valueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                vm.useStrength(strength.getValue());
            }
        });
        strength.valueProperty().addListener((obs, old, now) -> {
            if (!strength.isValueChanging()) {
                vm.useStrength(now.doubleValue());
            }
        });

        Button redo = new Button(i18n.tr("cartoonize.redo"));
        redo.setTooltip(new Tooltip(i18n.tr("cartoonize.redo.tip")));
        redo.disableProperty().bind(vm.emptyProperty());
        redo.setOnAction(e -> vm.redoAll());

        Button save = new Button(i18n.tr("cartoonize.save"));
        save.setId("save-one");
        save.disableProperty().bind(vm.selectedDoneProperty().not());
        save.setOnAction(e -> saveSelected());
        Button saveAll = new Button(i18n.tr("cartoonize.saveAll"));
        saveAll.disableProperty().bind(vm.emptyProperty());
        saveAll.setOnAction(e -> chooseSaveFolder().ifPresent(vm::saveAll));
        Button copy = new Button(i18n.tr("cartoonize.copy"));
        copy.disableProperty().bind(vm.selectedDoneProperty().not());
        copy.setOnAction(e -> copySelected());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label modelLabel = new Label(i18n.tr("cartoonize.model"));
        ToolBar photos = new ToolBar(add, addFolder, new Separator(), modelLabel, model, chooseModel, spacer, save,
                saveAll, copy);
        ToolBar making = new ToolBar(new Label(i18n.tr("cartoonize.size")), size, new Separator(),
                new Label(i18n.tr("cartoonize.strength")), strength, strengthValue, new Separator(), redo);
        making.setId("output-bar");
        return new VBox(photos, making);
    }

    private ListView<PhotoItem> createList() {
        ListView<PhotoItem> list = new ListView<>(vm.items());
        list.setId("photo-list");
        list.getStyleClass().add("photo-list");
        list.setPrefWidth(230);
        list.setCellFactory(v -> new PhotoCell());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                vm.selectedProperty().set(now);
            }
        });
        vm.selectedProperty().addListener((obs, old, now) -> list.getSelectionModel().select(now));
        // Delete or Backspace removes the selected photo; the context menu also clears the list. Files stay on disk.
        list.setOnKeyPressed(e -> {
            if ((e.getCode() == javafx.scene.input.KeyCode.DELETE || e.getCode() == javafx.scene.input.KeyCode.BACK_SPACE)
                    && list.getSelectionModel().getSelectedItem() != null) {
                vm.remove(list.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        javafx.scene.control.MenuItem remove = new javafx.scene.control.MenuItem(i18n.tr("cartoonize.list.remove"));
        remove.setId("photo-remove");
        remove.setAccelerator(new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.DELETE));
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> {
            PhotoItem item = list.getSelectionModel().getSelectedItem();
            if (item != null) {
                vm.remove(item);
            }
        });
        javafx.scene.control.MenuItem clear = new javafx.scene.control.MenuItem(i18n.tr("cartoonize.list.clear"));
        clear.setId("photo-clear");
        clear.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.items()));
        clear.setOnAction(e -> vm.clear());
        list.setContextMenu(new javafx.scene.control.ContextMenu(remove, clear));
        Label empty = new Label(i18n.tr("cartoonize.list.empty"));
        empty.getStyleClass().add("muted");
        empty.setWrapText(true);
        list.setPlaceholder(empty);
        return list;
    }

    private StackPane createViewerArea() {
        Label hintTitle = new Label(i18n.tr("cartoonize.hint"));
        hintTitle.getStyleClass().add("drop-hint-title");
        Label hintText = new Label(i18n.tr("cartoonize.hint.more"));
        hintText.getStyleClass().add("drop-hint-text");
        VBox hint = new VBox(8, hintTitle, hintText);
        hint.setId("drop-hint");
        hint.getStyleClass().add("drop-hint");
        hint.setAlignment(Pos.CENTER);
        hint.setMouseTransparent(true);
        hint.visibleProperty().bind(vm.emptyProperty());

        Label error = new Label();
        error.setId("viewer-error");
        error.getStyleClass().add("viewer-error");
        error.setWrapText(true);
        error.setMaxWidth(520);
        error.visibleProperty().bind(error.textProperty().isNotEmpty());

        ProgressIndicator busy = new ProgressIndicator();
        busy.setMaxSize(56, 56);
        busy.setMouseTransparent(true);
        javafx.beans.InvalidationListener refresh = obs -> {
            PhotoItem item = vm.selectedProperty().get();
            // Reading the status re-validates it, so the next change fires this invalidation listener again.
            PhotoItem.Status status = item == null ? null : item.getStatus();
            error.setText(status == PhotoItem.Status.FAILED ? item.getError() : "");
            busy.setVisible(status == PhotoItem.Status.QUEUED || status == PhotoItem.Status.WORKING);
        };
        vm.selectedProperty().addListener((obs, old, now) -> {
            if (old != null) {
                old.statusProperty().removeListener(refresh);
            }
            if (now != null) {
                now.statusProperty().addListener(refresh);
            }
            refresh.invalidated(null);
        });
        refresh.invalidated(null);

        // First start: the sample is shown, and a banner says where people's own photos go.
        Label banner = new Label(i18n.tr("cartoonize.hint") + "  ·  " + i18n.tr("cartoonize.hint.more"));
        banner.setId("sample-hint");
        banner.getStyleClass().add("sample-hint");
        banner.setMouseTransparent(true);
        banner.visibleProperty().bind(vm.showingSampleProperty());
        StackPane.setAlignment(banner, Pos.BOTTOM_CENTER);
        StackPane.setMargin(banner, new Insets(0, 0, 18, 0));

        StackPane area = new StackPane(viewer, hint, banner, error, busy);
        area.getStyleClass().add("viewer-area");
        return area;
    }

    /**
     * Sets how a finished cartoon video is opened (the desktop's player; the application sets it).
     *
     * @param opener opens a file
     */
    public void setOpener(java.util.function.Consumer<Path> opener) {
        this.opener = opener;
    }

    /** Under the viewer when a video is selected: the scrubber, and the video job with its progress. */
    private HBox createVideoBar() {
        Slider scrub = new Slider(0, 1, 0);
        scrub.setId("video-scrubber");
        scrub.setTooltip(new Tooltip(i18n.tr("video.frame.tip")));
        HBox.setHgrow(scrub, Priority.ALWAYS);
        scrub.setMaxWidth(Double.MAX_VALUE);
        Label time = new Label();
        time.setId("video-time");
        time.getStyleClass().add("muted");
        time.setMinWidth(Region.USE_PREF_SIZE);
        Button make = new Button(i18n.tr("video.make"));
        make.setId("video-make");
        make.setTooltip(new Tooltip(i18n.tr("video.make.tip")));
        make.setMinWidth(Region.USE_PREF_SIZE);
        make.disableProperty().bind(vm.videoRunningProperty());
        make.setOnAction(e -> cartoonizeVideo());
        ProgressBar progress = new ProgressBar();
        progress.setId("video-progress");
        progress.setPrefWidth(140);
        progress.progressProperty().bind(vm.videoProgressProperty());
        progress.visibleProperty().bind(vm.videoRunningProperty());
        progress.managedProperty().bind(vm.videoRunningProperty());
        Label status = new Label();
        status.setId("video-status");
        status.getStyleClass().add("muted");
        status.textProperty().bind(vm.videoStatusProperty());
        status.setMinWidth(0);
        status.setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        Button stop = new Button(i18n.tr("video.cancel"));
        stop.setId("video-stop");
        stop.setTooltip(new Tooltip(i18n.tr("video.cancel.tip")));
        stop.visibleProperty().bind(vm.videoRunningProperty());
        stop.managedProperty().bind(vm.videoRunningProperty());
        stop.setOnAction(e -> vm.cancelVideo());
        Button open = new Button(i18n.tr("video.open"));
        open.setId("video-open");
        open.setTooltip(new Tooltip(i18n.tr("video.open.tip")));
        open.visibleProperty().bind(vm.lastVideoProperty().isNotNull().and(vm.videoRunningProperty().not()));
        open.managedProperty().bind(open.visibleProperty());
        open.setOnAction(e -> {
            Path p = vm.lastVideoProperty().get();
            if (p != null) {
                opener.accept(p);
            }
        });
        HBox bar = new HBox(8, scrub, time, make, progress, stop, status, open);
        bar.setId("video-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("viewer-bar");
        // Shown for a selected video, and while a video job runs or has a result to open.
        javafx.beans.property.SimpleBooleanProperty videoSelected = new javafx.beans.property.SimpleBooleanProperty();
        javafx.beans.binding.BooleanBinding show = videoSelected.or(vm.videoRunningProperty())
                .or(vm.lastVideoProperty().isNotNull());
        bar.visibleProperty().bind(show);
        bar.managedProperty().bind(show);
        scrub.visibleProperty().bind(videoSelected);
        time.visibleProperty().bind(videoSelected);
        make.visibleProperty().bind(videoSelected);
        boolean[] updating = {false};
        Runnable showTime = () -> {
            PhotoItem item = vm.selectedProperty().get();
            var info = item == null ? null : item.videoInfoProperty().get();
            double t = item == null ? 0 : item.videoSecondsProperty().get();
            time.setText(info == null ? "" : i18n.tr("video.frame", clock(t), clock(info.durationSeconds())));
        };
        javafx.beans.InvalidationListener onInfo = obs -> {
            PhotoItem item = vm.selectedProperty().get();
            var info = item == null ? null : item.videoInfoProperty().get();
            updating[0] = true;
            scrub.setMax(info == null ? 1 : Math.max(0.001, info.durationSeconds()));
            scrub.setValue(item == null ? 0 : item.videoSecondsProperty().get());
            if (info != null) {
                scrub.setBlockIncrement(1 / Math.max(1, info.framesPerSecond()));
            }
            updating[0] = false;
            showTime.run();
        };
        vm.selectedProperty().addListener((obs, old, now) -> {
            if (old != null) {
                old.videoInfoProperty().removeListener(onInfo);
                old.videoSecondsProperty().removeListener(onInfo);
            }
            videoSelected.set(now != null && now.isVideo());
            if (now != null) {
                now.videoInfoProperty().addListener(onInfo);
                now.videoSecondsProperty().addListener(onInfo);
            }
            onInfo.invalidated(null);
        });
        scrub.valueProperty().addListener((obs, old, now) -> {
            if (!updating[0]) {
                vm.showVideoFrame(now.doubleValue());
            }
        });
        return bar;
    }

    private static String clock(double seconds) {
        long tenths = Math.round(seconds * 10);
        return String.format(Locale.ROOT, "%d:%02d.%d", tenths / 600, tenths / 10 % 60, tenths % 10);
    }

    /** Asks where the selected video's cartoon goes, then starts the video job. */
    public void cartoonizeVideo() {
        String name = vm.suggestedVideoName();
        if (name == null) {
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        FileChooser chooser = saveChooser(i18n.tr("video.save.title"), name,
                new FileChooser.ExtensionFilter(i18n.tr("video.filter") + " (*." + ext + ")", "*." + ext));
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            Path p = file.toPath();
            vm.cartoonizeVideo(io.github.facetoon.engine.video.VideoFormats.isVideo(p) ? p
                    : p.resolveSibling(p.getFileName() + "." + ext));
        }
    }

    /** A save dialog opening in the folder saved to last (else where photos came from), with its file types. */
    private FileChooser saveChooser(String title, String initialName, FileChooser.ExtensionFilter... filters) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(filters);
        chooser.setSelectedExtensionFilter(filters[0]);
        chooser.setInitialFileName(initialName);
        Path last = vm.saveFolderProperty().get();
        if (last != null && last.toFile().isDirectory()) {
            chooser.setInitialDirectory(last.toFile());
        } else {
            initialFolder(chooser::setInitialDirectory);
        }
        return chooser;
    }

    private HBox createViewerBar() {
        ToggleButton split = new ToggleButton(i18n.tr("viewer.split"));
        split.setId("mode-split");
        ToggleButton side = new ToggleButton(i18n.tr("viewer.side"));
        side.setId("mode-side");
        SegmentedButton mode = new SegmentedButton(split, side);
        split.setSelected(true);
        split.selectedProperty().addListener((obs, old, now) -> {
            if (now) {
                viewer.modeProperty().set(BeforeAfterViewer.Mode.SPLIT);
            } else if (!side.isSelected()) {
                split.setSelected(true);
            }
        });
        side.selectedProperty().addListener((obs, old, now) -> {
            if (now) {
                viewer.modeProperty().set(BeforeAfterViewer.Mode.SIDE_BY_SIDE);
            } else if (!split.isSelected()) {
                side.setSelected(true);
            }
        });
        viewer.modeProperty().addListener((obs, old, now) -> {
            split.setSelected(now == BeforeAfterViewer.Mode.SPLIT);
            side.setSelected(now == BeforeAfterViewer.Mode.SIDE_BY_SIDE);
        });

        Button fit = new Button(i18n.tr("viewer.fit"));
        fit.setTooltip(new Tooltip(i18n.tr("viewer.fit.tip")));
        fit.setOnAction(e -> viewer.fit());
        Button actual = new Button("100 %");
        actual.setTooltip(new Tooltip(i18n.tr("viewer.actual.tip")));
        actual.setOnAction(e -> viewer.actualSize());
        Button out = new Button("−");
        out.setOnAction(e -> viewer.zoomOut());
        Button in = new Button("+");
        in.setOnAction(e -> viewer.zoomIn());
        Label zoom = new Label();
        zoom.getStyleClass().add("zoom-label");
        zoom.textProperty().bind(Bindings.createStringBinding(
                () -> Math.round(viewer.zoomProperty().get() * 100) + " %", viewer.zoomProperty()));
        zoom.setMinWidth(56);

        landmarks.setText(i18n.tr("viewer.landmarks"));
        landmarks.setId("landmarks-toggle");
        landmarks.setTooltip(new Tooltip(i18n.tr("viewer.landmarks.tip")));
        viewer.showLandmarksProperty().bind(landmarks.selectedProperty());

        madeWith.setId("made-with");
        madeWith.getStyleClass().add("muted");
        madeWith.setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        Label batch = new Label();
        batch.textProperty().bind(vm.batchTextProperty());
        batch.getStyleClass().add("muted");
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.batchProgressProperty());
        progress.visibleProperty().bind(vm.workingProperty());
        progress.setPrefWidth(160);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, mode, new Separator(javafx.geometry.Orientation.VERTICAL), fit, actual, out, in, zoom,
                new Separator(javafx.geometry.Orientation.VERTICAL), landmarks, spacer, madeWith, batch, progress);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("viewer-bar");
        // The controls keep their width; only the "made with" note gives way (with an ellipsis) when space is short.
        for (javafx.scene.Node n : List.of(split, side, mode, fit, actual, out, in, zoom, landmarks)) {
            ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        madeWith.setMinWidth(0);
        HBox.setHgrow(madeWith, Priority.SOMETIMES);
        return bar;
    }

    private void wireViewer() {
        viewer.beforeTextProperty().set(i18n.tr("viewer.before"));
        viewer.afterTextProperty().set(i18n.tr("viewer.after"));
        Runnable show = () -> {
            PhotoItem item = vm.selectedProperty().get();
            CartoonResult result = item == null ? null : item.getResult();
            Image source = result == null ? null : FxImages.toFx(result.source());
            viewer.beforeProperty().set(source);
            viewer.afterProperty().set(result == null ? null : FxImages.toFx(result.cartoon()));
            viewer.landmarksProperty().set(result == null ? List.of() : result.landmarks());
            // Says which model really made it (the engine falls back to the classic filter when it must).
            madeWith.setText(result == null ? "" : i18n.tr("cartoonize.madeWith", result.model(),
                    result.landmarks().size()));
            madeWith.setTooltip(result == null ? null : new Tooltip(result.model()));
        };
        javafx.beans.InvalidationListener onResult = obs -> show.run();
        vm.selectedProperty().addListener((obs, old, now) -> {
            if (old != null) {
                old.resultProperty().removeListener(onResult);
            }
            if (now != null) {
                now.resultProperty().addListener(onResult);
            }
            show.run();
        });
        show.run();
    }

    private void wireDrop() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                pseudoClassStateChanged(DRAG_OVER, true);
            }
            e.consume();
        });
        setOnDragExited(e -> pseudoClassStateChanged(DRAG_OVER, false));
        addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                dropFiles(e.getDragboard().getFiles());
            }
            pseudoClassStateChanged(DRAG_OVER, false);
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /**
     * Adds dropped files and folders (what a drop onto the window does).
     *
     * @param files the files
     */
    public void dropFiles(List<File> files) {
        vm.add(files.stream().map(File::toPath).toList());
    }

    /** Opens the file chooser for photos. */
    public void choosePhotos() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.tr("cartoonize.add"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.tr("cartoonize.filter"),
                "*.jpg", "*.jpeg", "*.png", "*.bmp", "*.webp", "*.tif", "*.tiff", "*.JPG", "*.JPEG", "*.PNG", "*.mp4",
                "*.m4v", "*.mov", "*.mkv", "*.webm", "*.avi", "*.gif", "*.MP4", "*.MOV"));
        initialFolder(chooser::setInitialDirectory);
        List<File> files = chooser.showOpenMultipleDialog(getScene().getWindow());
        if (files != null) {
            dropFiles(files);
        }
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(i18n.tr("cartoonize.addFolder"));
        initialFolder(chooser::setInitialDirectory);
        File dir = chooser.showDialog(getScene().getWindow());
        if (dir != null) {
            dropFiles(List.of(dir));
        }
    }

    private void chooseCheckpoint() {
        io.github.facetoon.app.common.ModelFiles.choose(this, i18n, i18n.tr("cartoonize.modelFile"))
                .ifPresent(vm::useModelFile);
    }

    /**
     * Asks for the folder to save into.
     *
     * @return the folder, if one was chosen
     */
    private java.util.Optional<Path> chooseSaveFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(i18n.tr("cartoonize.saveTo"));
        Path last = vm.saveFolderProperty().get();
        if (last != null && last.toFile().isDirectory()) {
            chooser.setInitialDirectory(last.toFile());
        } else {
            initialFolder(chooser::setInitialDirectory);
        }
        File dir = chooser.showDialog(getScene().getWindow());
        return java.util.Optional.ofNullable(dir).map(File::toPath);
    }

    /** Saves the selected cartoon: asks for the file name, PNG or JPEG (or WebP) by the chosen type. */
    public void saveSelected() {
        if (!vm.selectedDoneProperty().get()) {
            return;
        }
        FileChooser chooser = saveChooser(i18n.tr("cartoonize.saveOne"), vm.suggestedName(),
                new FileChooser.ExtensionFilter("PNG (*.png)", "*.png"),
                new FileChooser.ExtensionFilter("JPEG (*.jpg)", "*.jpg", "*.jpeg"),
                new FileChooser.ExtensionFilter("WebP (*.webp)", "*.webp"));
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            vm.saveSelectedAs(withExtension(file.toPath(), chooser.getSelectedExtensionFilter()));
        }
    }

    /** Exports the chosen model as ONNX: asks for the file name. */
    public void exportOnnx() {
        FileChooser chooser = saveChooser(i18n.tr("cartoonize.exportOnnx"), "facetoon.onnx",
                new FileChooser.ExtensionFilter(i18n.tr("cartoonize.exportOnnx.filter"), "*.onnx"));
        File file = chooser.showSaveDialog(getScene().getWindow());
        if (file != null) {
            Path p = file.toPath();
            vm.exportOnnx(p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? p
                    : p.resolveSibling(p.getFileName() + ".onnx"));
        }
    }

    /** The chosen file, with the chosen type's extension when its name has no image extension. */
    static Path withExtension(Path file, FileChooser.ExtensionFilter filter) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.matches(".*\\.(png|jpe?g|webp)$") || filter == null) {
            return file;
        }
        return file.resolveSibling(file.getFileName() + filter.getExtensions().get(0).substring(1));
    }

    /** Saves all cartoons (asks for the folder). */
    public void saveAll() {
        if (!vm.items().isEmpty()) {
            chooseSaveFolder().ifPresent(vm::saveAll);
        }
    }

    /** Copies the selected cartoon to the clipboard. */
    public void copySelected() {
        PhotoItem item = vm.selectedProperty().get();
        if (item != null && item.getResult() != null) {
            ClipboardContent content = new ClipboardContent();
            content.putImage(FxImages.toFx(item.getResult().cartoon()));
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    /** Toggles the landmark overlay. */
    public void toggleLandmarks() {
        landmarks.setSelected(!landmarks.isSelected());
    }

    private void initialFolder(java.util.function.Consumer<File> setter) {
        Path p = startFolder.get();
        if (p != null && p.toFile().isDirectory()) {
            setter.accept(p.toFile());
        }
    }

    private String modelLabel(ModelChoice m) {
        if (m instanceof ModelChoice.Bundled) {
            return i18n.tr("model.bundled");
        }
        if (m instanceof ModelChoice.Classic) {
            return i18n.tr("model.classic");
        }
        if (m instanceof ModelChoice.Checkpoint c) {
            return i18n.tr("model.checkpoint", io.github.facetoon.app.common.CheckpointNames.shortName(c.path()));
        }
        return m.label();
    }

    private final class PhotoCell extends ListCell<PhotoItem> {
        private final Label name = new Label();
        private final Label status = new Label();
        private final VBox box = new VBox(2, name, status);

        PhotoCell() {
            name.getStyleClass().add("photo-name");
            status.getStyleClass().add("photo-status");
            // Long names and messages end in "…" (the tooltip has them whole) instead of widening the list.
            setPrefWidth(0);
            name.setMinWidth(0);
            status.setMinWidth(0);
            box.setPadding(new Insets(2, 0, 2, 0));
        }

        @Override
        protected void updateItem(PhotoItem item, boolean empty) {
            super.updateItem(item, empty);
            status.textProperty().unbind();
            if (empty || item == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            name.setText(item.name());
            status.textProperty().bind(Bindings.createStringBinding(() -> {
                status.pseudoClassStateChanged(FAILED, item.getStatus() == PhotoItem.Status.FAILED);
                return statusText(item);
            }, item.statusProperty(), item.errorProperty(), item.resultProperty(), item.videoInfoProperty()));
            setTooltip(new Tooltip(item.getError() == null ? item.file().toString()
                    : item.file() + "\n" + item.getError()));
            setGraphic(box);
            setText(null);
        }

        private String statusText(PhotoItem item) {
            switch (item.getStatus()) {
                case QUEUED:
                    return i18n.tr("photo.queued");
                case WORKING:
                    return i18n.tr("photo.working");
                case DONE:
                    CartoonResult r = item.getResult();
                    var info = item.videoInfoProperty().get();
                    if (info != null) {
                        return i18n.tr("photo.video", info.width(), info.height(), clock(info.durationSeconds()),
                                String.format(Locale.ROOT, "%.3g", info.framesPerSecond()));
                    }
                    return r == null ? i18n.tr("photo.stored")
                            : i18n.tr("photo.done", r.source().width(), r.source().height(), r.millis());
                case FAILED:
                default:
                    return item.getError();
            }
        }
    }
}
