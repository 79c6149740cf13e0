package io.github.facetoon.app.common;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;

/** Alerts that belong to the studio's window and follow its theme. */
public final class Dialogs {

    private Dialogs() {}

    /**
     * An alert owned by the window of {@code owner}, with that window's stylesheets (dark or light theme).
     *
     * @param owner a node in the window the alert belongs to
     * @param type the alert's kind
     * @param header the question or title, in a user's words
     * @param content what it means
     * @param buttons the answers
     * @return the alert, not shown yet
     */
    public static Alert alert(Node owner, Alert.AlertType type, String header, String content, ButtonType... buttons) {
        Alert a = new Alert(type, content, buttons);
        a.setHeaderText(header);
        if (owner.getScene() != null) {
            a.initOwner(owner.getScene().getWindow());
        }
        theme(a.getDialogPane(), owner);
        a.getDialogPane().setMinWidth(520);
        return a;
    }

    /**
     * Gives a dialog the studio's stylesheet and its light or dark theme, as its window has them now.
     *
     * @param pane the dialog's pane
     * @param owner a node in the studio's window
     */
    public static void theme(javafx.scene.control.DialogPane pane, Node owner) {
        if (owner.getScene() == null) {
            return;
        }
        pane.getStylesheets().setAll(owner.getScene().getStylesheets());
        boolean dark = owner.getScene().getRoot().getStyleClass().contains("dark");
        pane.getStyleClass().remove("dark");
        if (dark) {
            pane.getStyleClass().add("dark");
        }
    }

    /**
     * Asks a yes/no question, with the safe answer as the default.
     *
     * @param owner a node in the window
     * @param header the question
     * @param content what saying yes does
     * @param yes the text of the button that does it
     * @return true when the user chose {@code yes}
     */
    public static boolean confirm(Node owner, String header, String content, String yes) {
        ButtonType ok = new ButtonType(yes, javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        Alert a = alert(owner, Alert.AlertType.CONFIRMATION, header, content, ok, ButtonType.CANCEL);
        ((javafx.scene.control.Button) a.getDialogPane().lookupButton(ok)).setDefaultButton(false);
        ((javafx.scene.control.Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return a.showAndWait().filter(b -> b == ok).isPresent();
    }
}
