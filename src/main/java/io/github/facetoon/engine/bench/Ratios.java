package io.github.facetoon.engine.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Java-versus-Python ratios of one run and the targets. A speed ratio above 1 means the Java engine is
 * faster than the Python reference: Python's time over Java's time, or Java's rate over Python's rate.
 */
final class Ratios {

    /** Targets of the issue. */
    static final double OUTSIDE_NETWORK_MAX = 0.15;
    static final double PREVIEW_COST_MAX = 0.05;
    static final double INPUT_WAIT_MAX = 0.05;
    static final double SPEED_MIN = 1.0;

    private Ratios() {}

    /**
     * Computes the ratios of the figures both sides measured.
     *
     * @param report the Java report
     * @param python the Python reference's report
     * @return the ratios
     */
    static JsonObject compute(JsonObject report, JsonObject python) {
        JsonObject r = new JsonObject();
        if (Benchmark.ok(report, "matmul") && python.has("matmul")) {
            r.addProperty("matmul", ratio(num(report.getAsJsonObject("matmul"), "medianGflops"),
                    num(python.getAsJsonObject("matmul"), "medianGflops")));
        }
        if (Benchmark.ok(report, "inference") && python.has("inference")) {
            JsonArray sizes = new JsonArray();
            for (JsonElement je : report.getAsJsonArray("inference")) {
                JsonObject j = je.getAsJsonObject();
                JsonObject p = bySize(python.getAsJsonArray("inference"), j.get("size").getAsInt());
                if (p == null) {
                    continue;
                }
                JsonObject s = new JsonObject();
                s.addProperty("size", j.get("size").getAsInt());
                JsonArray batches = new JsonArray();
                for (JsonElement be : j.getAsJsonArray("network")) {
                    JsonObject jb = be.getAsJsonObject();
                    JsonObject pb = byKey(p.getAsJsonArray("network"), "batch", jb.get("batch").getAsInt());
                    if (pb != null) {
                        JsonObject b = new JsonObject();
                        b.addProperty("batch", jb.get("batch").getAsInt());
                        b.addProperty("speed", ratio(num(pb, "msPerImage"), num(jb, "msPerImage")));
                        batches.add(b);
                    }
                }
                s.add("network", batches);
                s.addProperty("bestBatchSpeed", ratio(num(p, "bestMsPerImage"), num(j, "bestMsPerImage")));
                sizes.add(s);
            }
            r.add("inference", sizes);
        }
        if (Benchmark.ok(report, "training") && python.has("training")) {
            JsonObject jt = report.getAsJsonObject("training");
            JsonObject pt = python.getAsJsonObject("training");
            JsonObject t = new JsonObject();
            for (String k : new String[] {"pretrain", "adversarial"}) {
                if (jt.has(k) && pt.has(k) && !jt.getAsJsonObject(k).has("error")) {
                    t.addProperty(k, ratio(num(jt.getAsJsonObject(k), "itPerSec"), num(pt.getAsJsonObject(k), "itPerSec")));
                }
            }
            r.add("training", t);
        }
        return r;
    }

    /**
     * Checks the targets against the report (and its ratios, when the Python reference ran).
     *
     * @param report the report
     * @return one entry per target: value, limit, met
     */
    static JsonObject targets(JsonObject report) {
        JsonObject t = new JsonObject();
        if (report.has("ratios")) {
            JsonObject ratios = report.getAsJsonObject("ratios");
            if (ratios.has("inference")) {
                double worst = Double.POSITIVE_INFINITY;
                for (JsonElement e : ratios.getAsJsonArray("inference")) {
                    worst = Math.min(worst, num(e.getAsJsonObject(), "bestBatchSpeed"));
                }
                t.add("inferenceSpeedVsPython", target(worst, SPEED_MIN, true, "worst size, best batch each side"));
            }
            if (ratios.has("training")) {
                JsonObject tr = ratios.getAsJsonObject("training");
                double worst = Double.POSITIVE_INFINITY;
                for (String k : tr.keySet()) {
                    worst = Math.min(worst, tr.get(k).getAsDouble());
                }
                t.add("trainingSpeedVsPython", target(worst, SPEED_MIN, true, "worst of pretrain and adversarial step"));
            }
        }
        if (Benchmark.ok(report, "inference")) {
            JsonObject largest = null;
            for (JsonElement e : report.getAsJsonArray("inference")) {
                JsonObject o = e.getAsJsonObject();
                if (largest == null || o.get("size").getAsInt() > largest.get("size").getAsInt()) {
                    largest = o;
                }
            }
            JsonObject path = largest.getAsJsonObject("path");
            if (path.has("outsideNetworkShare")) {
                t.add("outsideNetworkShare", target(num(path, "outsideNetworkShare"), OUTSIDE_NETWORK_MAX, false,
                        "whole path at " + largest.get("size").getAsInt() + "² (the target is stated at 720²)"));
            }
        }
        if (Benchmark.ok(report, "training")) {
            JsonObject tr = report.getAsJsonObject("training");
            if (tr.has("previewCostShare")) {
                t.add("previewCost", target(num(tr, "previewCostShare"), PREVIEW_COST_MAX, false,
                        "1 - it/s with previews / it/s without, full training"));
            }
            JsonObject full = tr.getAsJsonObject("full");
            if (!full.has("error")) {
                t.add("dataWaitShare", target(num(full, "dataWaitShare"), INPUT_WAIT_MAX, false, "full training"));
                t.add("superpixelWaitShare", target(num(full, "superpixelWaitShare"), INPUT_WAIT_MAX, false,
                        "full training"));
            }
        }
        return t;
    }

    private static JsonObject target(double value, double limit, boolean atLeast, String note) {
        JsonObject o = new JsonObject();
        o.addProperty("value", Stats.round(value, 4));
        o.addProperty(atLeast ? "min" : "max", limit);
        o.addProperty("met", atLeast ? value >= limit : value <= limit);
        o.addProperty("note", note);
        return o;
    }

    private static double ratio(double a, double b) {
        return Stats.round(a / b, 3);
    }

    private static double num(JsonObject o, String key) {
        return o.has(key) ? o.get(key).getAsDouble() : Double.NaN;
    }

    private static JsonObject bySize(JsonArray a, int size) {
        return byKey(a, "size", size);
    }

    private static JsonObject byKey(JsonArray a, String key, int value) {
        for (JsonElement e : a) {
            JsonObject o = e.getAsJsonObject();
            if (o.has(key) && o.get(key).getAsInt() == value) {
                return o;
            }
        }
        return null;
    }
}
