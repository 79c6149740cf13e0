package io.github.facetoon;

import io.github.facetoon.app.StudioLauncher;
import io.github.facetoon.cli.FaceToonCli;

/**
 * Entry point: with no arguments it opens the studio, with arguments it runs the command line.
 *
 * <p>This class must not extend {@code javafx.application.Application}: the application runs on the
 * class path, where the JavaFX launcher checks would refuse such a main class.
 */
public final class Main {

    private Main() {}

    /**
     * Starts the studio or the command line.
     *
     * @param args command-line arguments; none opens the studio
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            StudioLauncher.launch(args);
        } else {
            System.exit(FaceToonCli.run(args));
        }
    }
}
