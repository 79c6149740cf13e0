package io.github.facetoon.app.common;

import javafx.beans.property.DoubleProperty;
import javafx.scene.control.TextField;

/** A text field for a positive number such as a learning rate: typed as 2e-4 or 0,0002, taken on Enter or focus loss. */
public final class RateField {

    private RateField() {}

    /**
     * Builds the field, two-way with a property: a value that is not a positive number is refused and the field
     * shows the property's value again.
     *
     * @param value the property
     * @param id the field's id
     * @return the field
     */
    public static TextField of(DoubleProperty value, String id) {
        TextField field = new TextField(Numbers.compact(value.get()));
        field.setId(id);
        field.setPrefColumnCount(6);
        Runnable commit = () -> {
            try {
                double v = Numbers.parse(field.getText());
                if (v > 0 && Double.isFinite(v)) {
                    value.set(v);
                }
            } catch (IllegalArgumentException ignored) {
                // not a number: the field shows the value in use again
            }
            field.setText(Numbers.compact(value.get()));
        };
        field.setOnAction(e -> commit.run());
        field.focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                commit.run();
            }
        });
        value.addListener((obs, old, now) -> field.setText(Numbers.compact(now.doubleValue())));
        return field;
    }
}
