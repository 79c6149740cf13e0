package io.github.facetoon.app.train;

import io.github.facetoon.app.common.Dialogs;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.train.TrainViewModel.ConflictChoice;
import io.github.facetoon.app.train.TrainViewModel.RunConflict;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;

/**
 * Asks what to do when Start would write into a run that already has checkpoints: resume it, start under a free
 * name, or replace it (after a second question; the old run goes to the trash, from where it can be restored).
 */
final class RunConflictDialog {

    private RunConflictDialog() {}

    /**
     * Shows the question and answers the view model.
     *
     * @param owner a node in the window
     * @param vm the view model whose start was refused
     * @param conflict the refused start
     * @param i18n the texts
     */
    static void ask(Node owner, TrainViewModel vm, RunConflict conflict, I18n i18n) {
        ButtonType resume = new ButtonType(i18n.tr("runs.conflict.resume"), ButtonBar.ButtonData.YES);
        ButtonType rename = new ButtonType(i18n.tr("runs.conflict.newName", conflict.freeName()), ButtonBar.ButtonData.NO);
        ButtonType replace = new ButtonType(i18n.tr("runs.conflict.replace"), ButtonBar.ButtonData.OTHER);
        Alert a = Dialogs.alert(owner, Alert.AlertType.CONFIRMATION,
                i18n.tr("runs.conflict.title", conflict.name()),
                i18n.tr("runs.conflict.text", conflict.name(), String.format("%,d", conflict.newestIteration())),
                resume, rename, replace, ButtonType.CANCEL);
        a.getDialogPane().setId("run-conflict");
        ButtonType answer = a.showAndWait().orElse(ButtonType.CANCEL);
        ConflictChoice choice = ConflictChoice.CANCEL;
        if (answer == resume) {
            choice = ConflictChoice.RESUME;
        } else if (answer == rename) {
            choice = ConflictChoice.NEW_NAME;
        } else if (answer == replace && Dialogs.confirm(owner, i18n.tr("runs.replace.title", conflict.name()),
                i18n.tr("runs.replace.text", conflict.name()), i18n.tr("runs.replace.yes"))) {
            choice = ConflictChoice.REPLACE;
        }
        vm.resolveConflict(choice);
    }
}
