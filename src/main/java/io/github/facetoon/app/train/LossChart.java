package io.github.facetoon.app.train;

import io.github.facetoon.app.common.Numbers;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.shape.Line;
import javafx.util.StringConverter;

/**
 * A small loss chart: one or two smoothed series over iterations, an optional log scale (the values are plotted
 * as log10 and the ticks labelled as powers of ten), and vertical marks where the weights changed.
 */
public final class LossChart extends LineChart<Number, Number> {

    private final NumberAxis yAxis;
    private final List<Line> marks = new ArrayList<>();
    private final ObservableList<Integer> markIterations = FXCollections.observableArrayList();
    private final ObservableList<Integer> rollbackIterations = FXCollections.observableArrayList();
    private boolean logScale;

    /**
     * Creates the chart.
     *
     * @param title the title, e.g. "texture"
     * @param seriesNames the series' names (legend shown when more than one)
     */
    public LossChart(String title, String... seriesNames) {
        super(new NumberAxis(), new NumberAxis());
        yAxis = (NumberAxis) getYAxis();
        NumberAxis xAxis = (NumberAxis) getXAxis();
        xAxis.setForceZeroInRange(false);
        xAxis.setMinorTickVisible(false);
        yAxis.setForceZeroInRange(false);
        yAxis.setMinorTickVisible(false);
        xAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                double v = n.doubleValue();
                return v >= 1000 ? Numbers.compact(v / 1000) + "k" : Numbers.compact(v);
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        setYFormatter();
        setTitle(title);
        setAnimated(false);
        setCreateSymbols(false);
        setLegendVisible(seriesNames.length > 1);
        setHorizontalGridLinesVisible(true);
        setVerticalGridLinesVisible(false);
        getStyleClass().add("loss-chart");
        for (String name : seriesNames.length == 0 ? new String[] {title} : seriesNames) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(name);
            getData().add(s);
        }
        markIterations.addListener((javafx.collections.ListChangeListener<Integer>) c -> updateMarks());
        rollbackIterations.addListener((javafx.collections.ListChangeListener<Integer>) c -> updateMarks());
    }

    /** The iterations a roll-back went back to: a dashed mark; the discarded steps after it are not drawn. */
    public ObservableList<Integer> rollbackIterations() {
        return rollbackIterations;
    }

    /** The iterations where a vertical mark is drawn. */
    public ObservableList<Integer> markIterations() {
        return markIterations;
    }

    /**
     * Switches the log scale.
     *
     * @param on true to plot log10 of the values
     */
    public void setLogScale(boolean on) {
        logScale = on;
        setYFormatter();
    }

    /**
     * Replaces a series' points.
     *
     * @param index the series
     * @param points two rows: iterations and values
     */
    public void setPoints(int index, double[][] points) {
        List<XYChart.Data<Number, Number>> data = new ArrayList<>(points[0].length);
        for (int i = 0; i < points[0].length; i++) {
            double y = points[1][i];
            if (logScale) {
                if (y <= 0) {
                    continue;
                }
                y = Math.log10(y);
            }
            data.add(new XYChart.Data<>(points[0][i], y));
        }
        getData().get(index).getData().setAll(data);
        if (index == 0 && points[0].length > 0) {
            rangeX(points[0][0], points[0][points[0].length - 1]);
        }
    }

    /** Chooses a round tick unit so that about four labels fit under a small chart. */
    private void rangeX(double first, double last) {
        NumberAxis xAxis = (NumberAxis) getXAxis();
        double span = Math.max(1, last - first);
        double raw = span / 4;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                unit = m * magnitude;
                break;
            }
        }
        xAxis.setAutoRanging(false);
        xAxis.setTickUnit(unit);
        xAxis.setLowerBound(Math.floor(first / unit) * unit);
        xAxis.setUpperBound(Math.ceil(last / unit) * unit);
    }

    private void setYFormatter() {
        yAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Numbers.compact(logScale ? Math.pow(10, n.doubleValue()) : n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
    }

    private void updateMarks() {
        getPlotChildren().removeAll(marks);
        marks.clear();
        for (int i = 0; i < markIterations.size() + rollbackIterations.size(); i++) {
            Line line = new Line();
            line.getStyleClass().add(i < markIterations.size() ? "weight-mark" : "rollback-mark");
            line.setManaged(false);
            marks.add(line);
        }
        getPlotChildren().addAll(marks);
        requestChartLayout();
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        NumberAxis xAxis = (NumberAxis) getXAxis();
        double height = yAxis.getHeight();
        for (int i = 0; i < marks.size(); i++) {
            int at = i < markIterations.size() ? markIterations.get(i) : rollbackIterations.get(i - markIterations.size());
            double x = xAxis.getDisplayPosition(at);
            Line line = marks.get(i);
            boolean inside = x >= 0 && x <= xAxis.getWidth();
            line.setVisible(inside);
            line.setStartX(x);
            line.setEndX(x);
            line.setStartY(0);
            line.setEndY(height);
            line.toFront();
        }
    }
}
