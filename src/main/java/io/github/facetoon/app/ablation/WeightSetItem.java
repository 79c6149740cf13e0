package io.github.facetoon.app.ablation;

import java.util.Optional;
import java.util.function.Supplier;
import org.controlsfx.control.PropertySheet;

/** One editable field of a weight set in the property sheet. */
final class WeightSetItem<T> implements PropertySheet.Item {
    private final WeightSet set;
    private final Class<T> type;
    private final String id;
    private final String name;
    private final Supplier<T> getter;
    private final java.util.function.Consumer<T> setter;

    WeightSetItem(WeightSet set, Class<T> type, String id, String name, Supplier<T> getter,
            java.util.function.Consumer<T> setter) {
        this.set = set;
        this.type = type;
        this.id = id;
        this.name = name;
        this.getter = getter;
        this.setter = setter;
    }

    @Override
    public Class<?> getType() {
        return type;
    }

    @Override
    public String getCategory() {
        return type == String.class ? "set" : "weights";
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return id;
    }

    @Override
    public Object getValue() {
        return getter.get();
    }

    @Override
    public void setValue(Object value) {
        setter.accept(type.cast(value));
    }

    @Override
    public Optional<javafx.beans.value.ObservableValue<? extends Object>> getObservableValue() {
        return Optional.of(type == String.class ? set.nameProperty() : set.weightsProperty());
    }

    @Override
    public boolean isEditable() {
        return set.getStatus() == WeightSet.Status.QUEUED || set.getStatus() == WeightSet.Status.FAILED
                || set.getStatus() == WeightSet.Status.DONE;
    }
}
