package io.github.facetoon.app.train;

import io.github.facetoon.app.common.Dialogs;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Numbers;
import io.github.facetoon.engine.train.RunLibrary.RunSummary;
import io.github.facetoon.engine.train.RunLibrary.TrashedRun;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The Runs tab: every run of the workspace with what it takes on disk, moving runs to the trash, and the trash with
 * restore and delete for good.
 */
final class RunsPane extends HBox {

    private final DateTimeFormatter when;

    /**
     * Builds the tab's content.
     *
     * @param vm the runs
     * @param i18n the texts
     */
    RunsPane(RunsViewModel vm, I18n i18n) {
        super(12);
        this.when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(i18n.locale())
                .withZone(ZoneId.systemDefault());
        setId("runs-pane");
        setPadding(new Insets(6));

        TableView<RunSummary> runs = new TableView<>(vm.runs());
        runs.setId("runs-table");
        runs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        runs.getColumns().add(column(i18n.tr("runs.name"), 150, RunSummary::name));
        runs.getColumns().add(column(i18n.tr("runs.checkpoints"), 90, r -> String.valueOf(r.checkpoints())));
        runs.getColumns().add(column(i18n.tr("runs.newest"), 100,
                r -> r.newestIteration() < 0 ? "—" : String.format("%,d", r.newestIteration())));
        runs.getColumns().add(column(i18n.tr("runs.size"), 80, r -> Numbers.bytes(r.bytes())));
        runs.getColumns().add(column(i18n.tr("runs.changed"), 140, r -> format(r.modified())));
        runs.setPlaceholder(muted(i18n.tr("runs.empty")));
        Button trash = new Button(i18n.tr("runs.trash"));
        trash.setId("runs-trash");
        trash.setTooltip(new Tooltip(i18n.tr("runs.trash.tip")));
        // The run that trains now is refused by the engine, with the reason.
        trash.disableProperty().bind(runs.getSelectionModel().selectedItemProperty().isNull());
        trash.setOnAction(e -> {
            RunSummary r = runs.getSelectionModel().getSelectedItem();
            if (r != null && Dialogs.confirm(this, i18n.tr("runs.trash.title", r.name()),
                    i18n.tr("runs.trash.text", r.name(), r.checkpoints(), Numbers.bytes(r.bytes())),
                    i18n.tr("runs.trash.yes"))) {
                vm.moveToTrash(r);
            }
        });
        Button refresh = new Button(i18n.tr("ckpt.refresh"));
        refresh.setOnAction(e -> vm.refresh());
        Label total = muted("");
        total.setId("runs-total");
        total.textProperty().bind(Bindings.createStringBinding(() -> i18n.tr("runs.total", vm.runs().size(),
                Numbers.bytes(vm.runsBytesProperty().get())), vm.runs(), vm.runsBytesProperty()));
        HBox runButtons = new HBox(8, trash, refresh, spacer(), total);
        runButtons.setAlignment(Pos.CENTER_LEFT);
        VBox left = new VBox(6, runs, runButtons);
        VBox.setVgrow(runs, Priority.ALWAYS);

        TableView<TrashedRun> bin = new TableView<>(vm.trash());
        bin.setId("trash-table");
        bin.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        bin.getColumns().add(column(i18n.tr("runs.name"), 130, TrashedRun::name));
        bin.getColumns().add(column(i18n.tr("runs.newest"), 90,
                r -> r.newestIteration() < 0 ? "—" : String.format("%,d", r.newestIteration())));
        bin.getColumns().add(column(i18n.tr("runs.size"), 80, r -> Numbers.bytes(r.bytes())));
        bin.getColumns().add(column(i18n.tr("runs.trashedAt"), 140, r -> format(r.trashed())));
        bin.setPlaceholder(muted(i18n.tr("runs.trashEmpty")));
        Button restore = new Button(i18n.tr("runs.restore"));
        restore.setId("runs-restore");
        restore.setTooltip(new Tooltip(i18n.tr("runs.restore.tip")));
        restore.disableProperty().bind(bin.getSelectionModel().selectedItemProperty().isNull());
        restore.setOnAction(e -> vm.restore(bin.getSelectionModel().getSelectedItem()));
        Button delete = new Button(i18n.tr("runs.delete"));
        delete.setId("runs-delete");
        delete.disableProperty().bind(bin.getSelectionModel().selectedItemProperty().isNull());
        delete.setOnAction(e -> {
            TrashedRun t = bin.getSelectionModel().getSelectedItem();
            if (t != null && Dialogs.confirm(this, i18n.tr("runs.delete.title", t.name()),
                    i18n.tr("runs.delete.text", Numbers.bytes(t.bytes())), i18n.tr("runs.delete.yes"))) {
                vm.delete(t);
            }
        });
        Button empty = new Button(i18n.tr("runs.emptyTrash"));
        empty.setId("runs-empty-trash");
        empty.disableProperty().bind(Bindings.isEmpty(vm.trash()));
        empty.setOnAction(e -> {
            if (Dialogs.confirm(this, i18n.tr("runs.emptyTrash.title"),
                    i18n.tr("runs.delete.text", Numbers.bytes(vm.trashBytesProperty().get())),
                    i18n.tr("runs.delete.yes"))) {
                vm.emptyTrash();
            }
        });
        Label trashTitle = new Label();
        trashTitle.getStyleClass().add("section-title");
        trashTitle.textProperty().bind(Bindings.createStringBinding(() -> i18n.tr("runs.trashTitle",
                Numbers.bytes(vm.trashBytesProperty().get())), vm.trashBytesProperty()));
        HBox binButtons = new HBox(8, restore, delete, empty);
        VBox right = new VBox(6, trashTitle, bin, binButtons);
        VBox.setVgrow(bin, Priority.ALWAYS);

        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.SOMETIMES);
        left.setPrefWidth(620);
        right.setPrefWidth(420);
        getChildren().addAll(left, right);
    }

    private String format(Instant t) {
        return t == null ? "" : when.format(t);
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        return l;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> text) {
        TableColumn<T, String> col = new TableColumn<>(title);
        col.setPrefWidth(width);
        col.setCellValueFactory(c -> new ReadOnlyStringWrapper(text.apply(c.getValue())));
        return col;
    }
}
