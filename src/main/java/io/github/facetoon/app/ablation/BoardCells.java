package io.github.facetoon.app.ablation;

import io.github.facetoon.app.common.Numbers;
import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/** The ablation board's cells: a weight set's weights as a small table, and a cartoon or photo thumbnail. */
final class BoardCells {

    private BoardCells() {}

    /** The six weights as a compact table: TV, surface, texture on the left; content, structure, landmark right. */
    static GridPane weightsGrid(LossWeights w) {
        GridPane table = new GridPane();
        table.setHgap(4);
        table.getStyleClass().add("grid-weights");
        for (LossTerm term : LossTerm.values()) {
            int i = term.ordinal();
            Label name = new Label(term.key());
            name.getStyleClass().add("grid-weight-name");
            Label value = new Label(Numbers.compact(w.get(term)));
            value.getStyleClass().add("grid-weight-value");
            name.setMinWidth(Region.USE_PREF_SIZE);
            value.setMinWidth(Region.USE_PREF_SIZE);
            int col = i < 3 ? 0 : 2;
            table.add(name, col, i % 3);
            table.add(value, col + 1, i % 3);
        }
        // Keep the right pair clear of the widest left value.
        javafx.scene.layout.ColumnConstraints leftValues = new javafx.scene.layout.ColumnConstraints();
        leftValues.setMinWidth(34);
        table.getColumnConstraints().addAll(new javafx.scene.layout.ColumnConstraints(), leftValues);
        return table;
    }

    /** A thumbnail in a square frame. @param img the image @param cell the side @return the cell */
    static Node imageCell(javafx.scene.image.Image img, double cell) {
        ImageView view = new ImageView(img);
        view.setFitWidth(cell);
        view.setFitHeight(cell);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        StackPane frame = new StackPane(view);
        frame.getStyleClass().add("grid-image");
        frame.setPrefSize(cell, cell);
        return frame;
    }
}
