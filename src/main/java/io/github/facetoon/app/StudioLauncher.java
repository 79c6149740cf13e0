package io.github.facetoon.app;

import io.github.facetoon.engine.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
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
        setUpLogFile();
        Application.launch(FaceToonApp.class, args);
    }

    /**
     * Sends the log to {@code <workspace>/logs/studio.log} (unless a log file was configured), before any logger
     * exists: slf4j-simple reads its settings once.
     */
    public static void setUpLogFile() {
        if (System.getProperty("org.slf4j.simpleLogger.logFile") != null) {
            return;
        }
        try {
            Path logs = Workspace.defaultWorkspace().logs();
            Files.createDirectories(logs);
            System.setProperty("org.slf4j.simpleLogger.logFile", logs.resolve("studio.log").toString());
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        } catch (java.io.IOException | RuntimeException e) {
            // Logging to the console is fine when the workspace cannot be written.
        }
    }
}
