package io.github.facetoon.app;

import io.github.facetoon.engine.EngineRuntime;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/** The FaceToon Studio application (the full studio lands with its own issue). */
public final class FaceToonApp extends Application {

    @Override
    public void init() {
        EngineRuntime.ensureConfigured();
    }

    @Override
    public void start(Stage stage) {
        StackPane root = new StackPane(new Label("FaceToon Studio"));
        stage.setTitle("FaceToon Studio");
        stage.setScene(new Scene(root, 1200, 800));
        stage.show();
    }
}
