package io.github.facetoon.app.common;

import io.github.facetoon.engine.Workspace;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.Node;
import javafx.stage.FileChooser;

/**
 * The one dialog for choosing a model or checkpoint file, wherever the studio asks for one: FaceToon files
 * (*.ftc) first, opened where the last one was chosen, else in the workspace's runs folder.
 */
public final class ModelFiles {

    /** Where the last model file was chosen, for the next dialog (any page). */
    private static volatile File lastFolder;

    private ModelFiles() {}

    /**
     * Asks for a model or checkpoint file.
     *
     * @param owner a node in the window
     * @param i18n the texts
     * @param title the dialog's title
     * @return the chosen file, if any
     */
    public static Optional<Path> choose(Node owner, I18n i18n, String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(i18n.tr("cartoonize.modelFile.filter"), "*.ftc"),
                new FileChooser.ExtensionFilter(i18n.tr("files.all"), "*"));
        File start = lastFolder;
        if (start == null || !start.isDirectory()) {
            start = Workspace.defaultWorkspace().runs().toFile();
        }
        if (start.isDirectory()) {
            chooser.setInitialDirectory(start);
        }
        File f = chooser.showOpenDialog(owner.getScene().getWindow());
        if (f == null) {
            return Optional.empty();
        }
        lastFolder = f.getParentFile();
        return Optional.of(f.toPath());
    }
}
