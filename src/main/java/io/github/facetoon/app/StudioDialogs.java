package io.github.facetoon.app;

import io.github.facetoon.app.common.AppPaths;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.engine.DeviceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.HostServices;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** The About dialog and the log viewer; their files are read in the background. */
final class StudioDialogs {

    private final AppContext context;
    private final I18n i18n;
    private final HostServices host;

    StudioDialogs(AppContext context, HostServices host) {
        this.context = context;
        this.i18n = context.i18n();
        this.host = host;
    }

    /** The log file of this session, or null when logging goes to the console. */
    static Path logFile() {
        String f = System.getProperty("org.slf4j.simpleLogger.logFile");
        return f == null || f.equals("System.err") || f.equals("System.out") ? null : Path.of(f);
    }

    void showAbout(Window owner) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(owner);
        alert.setTitle(i18n.tr("about.title"));
        alert.setHeaderText("FaceToon Studio " + version());
        Label versions = new Label(i18n.tr("about.versions", System.getProperty("java.version"),
                System.getProperty("javafx.runtime.version", "?"), "11.2.4"));
        Label device = new Label(i18n.tr("about.device.loading"));
        device.setWrapText(true);
        TextArea licences = new TextArea(i18n.tr("about.licences.loading"));
        licences.setEditable(false);
        licences.setWrapText(true);
        licences.setPrefRowCount(14);
        licences.setPrefColumnCount(70);
        Label workspace = new Label(i18n.tr("about.workspace", context.workspace().root()));
        workspace.setWrapText(true);
        VBox box = new VBox(8, new Label(i18n.tr("about.blurb")), versions, device, workspace,
                new Label(i18n.tr("about.licences")), licences);
        alert.getDialogPane().setContent(box);
        alert.getDialogPane().setId("about-dialog");
        io.github.facetoon.app.common.Dialogs.theme(alert.getDialogPane(), owner.getScene().getRoot());
        alert.setResizable(true);
        CompletableFuture.supplyAsync(() -> context.engine().deviceInfo(), context.background())
                .whenComplete((DeviceInfo info, Throwable error) -> context.pump().execute(() -> device.setText(
                        error != null ? i18n.tr("about.device.failed") : i18n.tr("about.device", info.engine(),
                                info.description(), info.offline() ? i18n.tr("about.offline") : ""))));
        CompletableFuture.supplyAsync(() -> {
            Path p = AppPaths.provenance();
            // The application ships its assets on the class path; a folder next to it is the fallback.
            try (java.io.InputStream in = StudioDialogs.class.getResourceAsStream("/assets/models/PROVENANCE.md")) {
                if (in != null) {
                    return io.github.facetoon.app.common.PlainText.fromMarkdown(
                            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
                return Files.isRegularFile(p) ? io.github.facetoon.app.common.PlainText.fromMarkdown(Files.readString(p))
                        : i18n.tr("about.licences.none", p);
            } catch (java.io.IOException e) {
                return i18n.tr("about.licences.none", p);
            }
        }, context.background()).thenAccept(text -> context.pump().execute(() -> licences.setText(text)));
        alert.show();
    }

    void showLog(Window owner) {
        Path file = logFile();
        Alert alert = new Alert(Alert.AlertType.NONE);
        alert.initOwner(owner);
        alert.setTitle(i18n.tr("log.title"));
        alert.setHeaderText(file == null ? i18n.tr("log.none") : file.toString());
        TextArea text = new TextArea(i18n.tr("log.loading"));
        text.setEditable(false);
        text.setPrefColumnCount(100);
        text.setPrefRowCount(24);
        text.getStyleClass().add("log-text");
        alert.getDialogPane().setContent(text);
        io.github.facetoon.app.common.Dialogs.theme(alert.getDialogPane(), owner.getScene().getRoot());
        ButtonType open = new ButtonType(i18n.tr("log.open"), ButtonBar.ButtonData.LEFT);
        alert.getButtonTypes().addAll(open, ButtonType.CLOSE);
        alert.setResizable(true);
        alert.getDialogPane().lookupButton(open).setDisable(file == null);
        alert.getDialogPane().lookupButton(open).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            host.showDocument(file.toUri().toString());
            e.consume();
        });
        if (file != null) {
            CompletableFuture.supplyAsync(() -> {
                try {
                    List<String> lines = Files.readAllLines(file);
                    return String.join("\n", lines.subList(Math.max(0, lines.size() - 400), lines.size()));
                } catch (java.io.IOException e) {
                    return e.getMessage();
                }
            }, context.background()).thenAccept(s -> context.pump().execute(() -> {
                text.setText(s);
                text.positionCaret(s.length());
            }));
        } else {
            text.setText("");
        }
        alert.show();
    }

    static String version() {
        String v = StudioDialogs.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
