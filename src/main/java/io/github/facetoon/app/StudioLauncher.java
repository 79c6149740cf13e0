package io.github.facetoon.app;

import javafx.application.Application;

/** Starts the JavaFX studio from a main class that does not itself extend {@link Application}. */
public final class StudioLauncher {

    private StudioLauncher() {}

    /**
     * Launches the studio and returns when its window closes.
     *
     * @param args the arguments passed on to the application
     */
    public static void launch(String[] args) {
        Application.launch(FaceToonApp.class, args);
    }
}
