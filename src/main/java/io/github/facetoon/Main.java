package io.github.facetoon;

import io.github.facetoon.app.StudioLauncher;
import io.github.facetoon.cli.FaceToonCli;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point: with no arguments it opens the studio, with photos or folders as the only arguments it opens the
 * studio on them (what a file manager's "Open with FaceToon" does), with anything else it runs the command line.
 *
 * <p>This class must not extend {@code javafx.application.Application}: the application runs on the
 * class path, where the JavaFX launcher checks would refuse such a main class.
 */
public final class Main {

    private Main() {}

    /**
     * Starts the studio or the command line.
     *
     * @param args command-line arguments; none, or only existing files and folders, opens the studio
     */
    public static void main(String[] args) {
        if (opensStudio(args)) {
            StudioLauncher.launch(args);
        } else {
            System.exit(FaceToonCli.run(args));
        }
    }

    /**
     * Whether the arguments ask for the studio: none at all, or only paths of existing files and folders whose
     * first one is not also the name of a command (so {@code FaceToon test ...} stays the command even next to a
     * folder called {@code test}).
     *
     * @param args the arguments
     * @return true to open the studio
     */
    static boolean opensStudio(String[] args) {
        if (args.length == 0) {
            return true;
        }
        if (FaceToonCli.commandNames().contains(args[0])) {
            return false;
        }
        for (String a : args) {
            if (a.isEmpty() || a.startsWith("-") || !Files.exists(Path.of(a))) {
                return false;
            }
        }
        return true;
    }
}
