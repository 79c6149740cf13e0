package io.github.facetoon.app;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Shows a view the way the studio does (its stylesheet) in a TestFX stage. */
public final class TestStages {

    private TestStages() {
    }

    /**
     * Puts the view in a scene of the given size with the studio's stylesheet and shows it.
     *
     * @param stage the TestFX stage
     * @param view the view
     * @param width scene width
     * @param height scene height
     * @return the scene
     */
    public static Scene show(Stage stage, Parent view, double width, double height) {
        Scene scene = new Scene(view, width, height);
        scene.getStylesheets().add(FaceToonApp.class.getResource(FaceToonApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
        return scene;
    }
}
