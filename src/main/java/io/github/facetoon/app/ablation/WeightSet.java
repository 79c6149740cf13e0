package io.github.facetoon.app.ablation;

import io.github.facetoon.config.LossWeights;
import io.github.facetoon.engine.TestReport;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One column of the ablation board: a named set of loss weights, its fine-tuning state and its test report. */
public final class WeightSet {

    /** Where the set is in the queue. */
    public enum Status { QUEUED, TRAINING, TESTING, DONE, FAILED }

    private final StringProperty name = new SimpleStringProperty(this, "name");
    private final ObjectProperty<LossWeights> weights = new SimpleObjectProperty<>(this, "weights");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.QUEUED);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyObjectWrapper<TestReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");

    /**
     * Creates a queued set.
     *
     * @param name a short name, e.g. "no landmark"
     * @param weights the weights
     */
    public WeightSet(String name, LossWeights weights) {
        this.name.set(name);
        this.weights.set(weights);
    }

    /** The set's name. */
    public StringProperty nameProperty() {
        return name;
    }

    /** Returns the name. */
    public String getName() {
        return name.get();
    }

    /** The weights (editable until the set runs). */
    public ObjectProperty<LossWeights> weightsProperty() {
        return weights;
    }

    /** Returns the weights. */
    public LossWeights getWeights() {
        return weights.get();
    }

    /** The state. */
    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Returns the state. */
    public Status getStatus() {
        return status.get();
    }

    /** Fine-tuning progress in [0,1]. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** The test report once done. */
    public ReadOnlyObjectProperty<TestReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** Returns the report, or null. */
    public TestReport getReport() {
        return report.get();
    }

    /** A short state text, or the error. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    void setStatus(Status s, String text) {
        status.set(s);
        message.set(text == null ? "" : text);
    }

    void setProgress(double p) {
        progress.set(p);
    }

    void setReport(TestReport r) {
        report.set(r);
    }

    void reset() {
        report.set(null);
        progress.set(0);
        setStatus(Status.QUEUED, "");
    }
}
