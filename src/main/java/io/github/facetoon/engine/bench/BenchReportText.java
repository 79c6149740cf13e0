package io.github.facetoon.engine.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;

/** Renders a benchmark report as plain-text tables for a console or a Markdown code block. */
public final class BenchReportText {

    private BenchReportText() {}

    /**
     * Renders the report.
     *
     * @param r the report from {@link Benchmark#run}
     * @return the text, lines ending in newlines
     */
    public static String render(JsonObject r) {
        StringBuilder b = new StringBuilder();
        JsonObject m = r.getAsJsonObject("machine");
        line(b, "FaceToon benchmark%s", r.getAsJsonObject("options").get("quick").getAsBoolean()
                ? " (QUICK: smoke-test sizes, the figures mean nothing)" : "");
        line(b, "machine: %s, %d logical CPUs, %s RAM; %s; DJL %s, %s, %d intra-op threads; device %s",
                str(m, "cpu"), m.get("logicalCpus").getAsInt(), gib(m.get("memoryBytes").getAsLong()), str(m, "jdk"),
                str(m, "djl"), str(m, "engine"), m.get("engineThreads").getAsInt(), str(m, "device"));
        line(b, "load average (1/5/15 min): %s at start, %s at end", str(m, "loadAverageStart"), str(m, "loadAverageEnd"));
        b.append('\n');

        line(b, "Generator FLOPs per image (convolutions, 2 per multiply-add)");
        for (JsonElement e : r.getAsJsonArray("flops")) {
            JsonObject f = e.getAsJsonObject();
            line(b, "  %4d²  %8.2f GFLOP  (%,d MACs; element-wise ops %,d)", f.get("size").getAsInt(),
                    f.get("gflops").getAsDouble(), f.get("convMacs").getAsLong(), f.get("elementwiseOps").getAsLong());
        }
        double peakRate = Double.NaN;
        if (failed(b, r, "matmul")) {
            // reported
        } else if (r.has("matmul")) {
            JsonObject mm = r.getAsJsonObject("matmul");
            peakRate = mm.get("medianGflops").getAsDouble();
            b.append('\n');
            line(b, "fp32 matrix multiply %d×%d: %.1f GFLOP/s median, %.1f best", mm.get("size").getAsInt(),
                    mm.get("size").getAsInt(), peakRate, mm.get("bestGflops").getAsDouble());
        }
        if (r.has("fullres") && r.get("fullres").isJsonArray()) {
            b.append('\n');
            line(b, "Full-resolution path (bundled model; photo's own size; median ms; network at full size = G's cost at the photo's pixels)");
            line(b, "  %11s %6s %11s %8s %9s %11s %12s %10s %9s %9s", "photo", "MP", "worked at", "decode", "path",
                    "net@work", "net@full", "path/net", "heap +MiB", "RSS +MiB");
            for (JsonElement e : r.getAsJsonArray("fullres")) {
                JsonObject s = e.getAsJsonObject();
                line(b, "  %5dx%-5d %6.1f %5dx%-5d %8.0f %9.0f %11.0f %11.0f%s %10.2f %9s %9s", s.get("width").getAsInt(),
                        s.get("height").getAsInt(), num(s, "megapixels"), s.get("workingWidth").getAsInt(),
                        s.get("workingHeight").getAsInt(), num(s, "decodeMs"), num(s, "totalMs"), num(s, "networkAtWorkingMs"),
                        num(s, "networkAtFullSizeMs"), s.get("networkAtFullSizeScaled").getAsBoolean() ? "*" : " ",
                        num(s, "pathOverNetworkAtWorking"), mib(s.get("peakHeapGrowthBytes").getAsLong()),
                        mib(s.get("peakRssGrowthBytes").getAsLong()));
            }
            line(b, "  (* scaled from G at about 1 MP by the pixel count; path = decode + faces + G at the working size + guided upsampling)");
        } else {
            failed(b, r, "fullres");
        }
        if (r.has("video") && !failed(b, r, "video")) {
            JsonObject v = r.getAsJsonObject("video");
            b.append('\n');
            line(b, "Video (bundled model; a hand-held still scene with a face, %dx%d, %d frames, %s)", v.get("width").getAsInt(),
                    v.get("height").getAsInt(), v.get("frames").getAsInt(), v.get("encoder").getAsString());
            line(b, "  %.2f frames/s; ms per frame: decode %.1f, faces %.1f, network %.1f, resize + upsampling %.1f, encode %.1f;"
                    + " flicker ratio %.3f (cartoon's frame-to-frame change over the clip's; 1 = no added flicker)",
                    num(v, "framesPerSecond"), num(v, "decodeMsPerFrame"), num(v, "facesMsPerFrame"),
                    num(v, "networkMsPerFrame"), num(v, "upsampleMsPerFrame"), num(v, "encodeMsPerFrame"),
                    num(v, "flickerRatio"));
        }
        if (failed(b, r, "inference")) {
            // reported
        } else if (r.has("inference")) {
            b.append('\n');
            line(b, "Inference (ms per image, median; network alone = G forward without gradients; net b1 = batch 1 timed alternately with the path)");
            line(b, "  %5s %6s %10s %9s %9s | %9s %9s %9s %9s %9s %8s %9s %9s", "size", "batch", "ms/img", "GFLOP/s",
                    "of mm", "decode", "cartoon", "encode", "path", "net b1", "outside", "heap MiB", "RSS MiB");
            for (JsonElement e : r.getAsJsonArray("inference")) {
                JsonObject s = e.getAsJsonObject();
                JsonObject p = s.getAsJsonObject("path");
                boolean first = true;
                for (JsonElement be : s.getAsJsonArray("network")) {
                    JsonObject n = be.getAsJsonObject();
                    double rate = n.get("gflopsPerSecond").getAsDouble();
                    String mark = n.get("batch").getAsInt() == s.get("bestBatch").getAsInt() ? "*" : " ";
                    if (first) {
                        line(b, "  %5d %5d%s %10.1f %9.1f %8.0f%% | %9.1f %9.1f %9.1f %9.1f %9.1f %7.1f%% %9s %9s",
                                s.get("size").getAsInt(), n.get("batch").getAsInt(), mark, n.get("msPerImage").getAsDouble(),
                                rate, 100 * rate / peakRate, num(p, "decodeMs"), num(p, "cartoonizeMs"), num(p, "encodeMs"),
                                num(p, "totalMs"), num(p, "networkMs"), 100 * num(p, "outsideNetworkShare"),
                                mib(s.get("peakHeapBytes").getAsLong()), mib(s.get("peakRssBytes").getAsLong()));
                        first = false;
                    } else {
                        line(b, "  %5s %5d%s %10.1f %9.1f %8.0f%% |", "", n.get("batch").getAsInt(), mark,
                                n.get("msPerImage").getAsDouble(), rate, 100 * rate / peakRate);
                    }
                }
            }
            line(b, "  (* best batch; 'of mm' = share of the measured matrix-multiply rate; outside = share of the path"
                    + " not in G)");
        }
        if (failed(b, r, "training")) {
            // reported
        } else if (r.has("training")) {
            JsonObject t = r.getAsJsonObject("training");
            b.append('\n');
            line(b, "Training, batch %d, %d px (median step after warm-up)", t.get("batch").getAsInt(),
                    t.get("size").getAsInt());
            line(b, "  %-62s %9s %8s %8s %7s %7s %9s %9s", "run", "step ms", "it/s", "runner", "data", "superpx",
                    "heap MiB", "RSS MiB");
            for (String k : new String[] {"pretrain", "full", "fullWithPreviews", "adversarial"}) {
                if (!t.has(k)) {
                    continue;
                }
                JsonObject x = t.getAsJsonObject(k);
                if (x.has("error")) {
                    line(b, "  %-62s FAILED: %s", k, str(x, "error"));
                    continue;
                }
                line(b, "  %-62s %9.0f %8.3f %8.3f %6.1f%% %6.1f%% %9s %9s", str(x, "label"), num(x, "stepMs"),
                        num(x, "itPerSec"), num(x, "runnerItPerSec"), 100 * num(x, "dataWaitShare"),
                        100 * num(x, "superpixelWaitShare"), mib(x.get("peakHeapBytes").getAsLong()),
                        mib(x.get("peakRssBytes").getAsLong()));
            }
            JsonObject pv = t.getAsJsonObject("fullWithPreviews");
            if (t.has("previewCostShare")) {
                line(b, "  live previews: %.1f%% slower (%d previews of %.0f ms, at most one per %d ms)",
                        100 * num(t, "previewCostShare"), pv.get("previewCount").getAsInt(), num(pv, "previewMs"),
                        pv.get("previewIntervalMs").getAsLong());
            }
            JsonObject fr = t.getAsJsonObject("full");
            if (fr != null && fr.has("rssAfterStopBytes")) {
                line(b, "  memory after the full run stopped: RSS %s MiB (before it: %s MiB, peak %s MiB)",
                        mib(fr.get("rssAfterStopBytes").getAsLong()), mib(fr.get("rssBeforeBytes").getAsLong()),
                        mib(fr.get("peakRssBytes").getAsLong()));
            }
            line(b, "  (it/s = 1/median step; runner = 1/median interval between step events of the studio's runner;");
            line(b, "   data/superpx = share of step time the engine thread waited for batches / superpixel maps)");
        }
        if (failed(b, r, "busy")) {
            // reported
        } else if (r.has("busy")) {
            JsonObject u = r.getAsJsonObject("busy");
            b.append('\n');
            line(b, "Busy machine (another program keeps one of %d cores busy; full training, batch %d, %d px, median of %d"
                    + " steps; OpenMP wait policy %s)", u.get("cores").getAsInt(), u.get("batch").getAsInt(),
                    u.get("size").getAsInt(), u.get("steps").getAsInt(), str(u, "waitPolicy"));
            line(b, "  quiet: %.0f ms/step; busy: %.0f ms/step (%.2fx)%s; target within %.1fx", num(u, "quietMs"),
                    num(u, "busyMs"), num(u, "busyOverQuiet"), u.has("busyFewerThreadsMs")
                            ? String.format(java.util.Locale.ROOT, "; busy with one thread fewer: %.0f ms/step (%.2fx)",
                                    num(u, "busyFewerThreadsMs"), num(u, "busyFewerThreadsOverQuiet")) : "",
                    num(u, "target"));
        }
        if (failed(b, r, "drift")) {
            // reported
        } else if (r.has("drift")) {
            JsonObject d = r.getAsJsonObject("drift");
            b.append('\n');
            line(b, "Memory drift after warm-up (%d warm-up, then %d steps; batch %d, %d px; settled after GC)",
                    d.get("warmup").getAsInt(), d.get("steps").getAsInt(), d.get("batch").getAsInt(),
                    d.get("size").getAsInt());
            for (String k : new String[] {"training", "inference"}) {
                JsonObject x = d.getAsJsonObject(k);
                line(b, "  %-9s heap %+8.1f MiB, RSS %+8.1f MiB over %d", k, num(x, "heapDriftBytes") / (1 << 20),
                        num(x, "rssDriftBytes") / (1 << 20), x.get("measuredSteps").getAsInt());
            }
        }
        if (r.has("python")) {
            JsonObject p = r.getAsJsonObject("python");
            b.append('\n');
            if (p.has("error")) {
                line(b, "Python reference: not run: %s", str(p, "error"));
            } else {
                line(b, "Python reference: torch %s, Python %s, %d threads, generator %,d parameters", str(p, "torch"),
                        str(p, "python"), p.get("threads").getAsInt(), p.get("generatorParameters").getAsLong());
                if (p.has("matmul")) {
                    line(b, "  fp32 matrix multiply: %.1f GFLOP/s median", num(p.getAsJsonObject("matmul"), "medianGflops"));
                }
                if (p.has("inference")) {
                    for (JsonElement e : p.getAsJsonArray("inference")) {
                        JsonObject s = e.getAsJsonObject();
                        StringBuilder row = new StringBuilder();
                        for (JsonElement be : s.getAsJsonArray("network")) {
                            JsonObject n = be.getAsJsonObject();
                            row.append(String.format(Locale.ROOT, "  b%d %.1f ms/img", n.get("batch").getAsInt(),
                                    num(n, "msPerImage")));
                        }
                        line(b, "  inference %4d²:%s", s.get("size").getAsInt(), row);
                    }
                }
                if (p.has("training")) {
                    JsonObject t = p.getAsJsonObject("training");
                    for (String k : new String[] {"pretrain", "adversarial"}) {
                        if (t.has(k)) {
                            line(b, "  training %-11s %8.0f ms/step, %.3f it/s", k, num(t.getAsJsonObject(k), "stepMs"),
                                    num(t.getAsJsonObject(k), "itPerSec"));
                        }
                    }
                }
            }
        }
        if (r.has("ratios")) {
            JsonObject q = r.getAsJsonObject("ratios");
            b.append('\n');
            line(b, "Java / Python speed (above 1 = Java faster)");
            if (q.has("matmul")) {
                line(b, "  matrix multiply: %.2f×", q.get("matmul").getAsDouble());
            }
            if (q.has("inference")) {
                for (JsonElement e : q.getAsJsonArray("inference")) {
                    JsonObject s = e.getAsJsonObject();
                    StringBuilder row = new StringBuilder();
                    for (JsonElement be : s.getAsJsonArray("network")) {
                        JsonObject n = be.getAsJsonObject();
                        row.append(String.format(Locale.ROOT, "  b%d %.2f×", n.get("batch").getAsInt(), num(n, "speed")));
                    }
                    line(b, "  inference %4d²:%s  best batch %.2f×", s.get("size").getAsInt(), row,
                            num(s, "bestBatchSpeed"));
                }
            }
            if (q.has("training")) {
                JsonObject t = q.getAsJsonObject("training");
                for (String k : t.keySet()) {
                    line(b, "  training %s: %.2f×", k, t.get(k).getAsDouble());
                }
            }
        }
        if (r.has("targets")) {
            b.append('\n');
            line(b, "Targets");
            JsonObject t = r.getAsJsonObject("targets");
            for (String k : t.keySet()) {
                JsonObject x = t.getAsJsonObject(k);
                String limit = x.has("min") ? ">= " + x.get("min").getAsDouble() : "<= " + x.get("max").getAsDouble();
                line(b, "  %-24s %8.3f  (%s)  %s  — %s", k, num(x, "value"), limit,
                        x.get("met").getAsBoolean() ? "MET" : "NOT MET", str(x, "note"));
            }
        }
        return b.toString();
    }

    /** Prints a failed section's error; true when the section failed. */
    private static boolean failed(StringBuilder b, JsonObject r, String name) {
        if (r.has(name) && !Benchmark.ok(r, name)) {
            b.append('\n');
            line(b, "%s: FAILED: %s", name, str(r.getAsJsonObject(name), "error"));
            return true;
        }
        return false;
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) ? o.get(key).getAsString() : "?";
    }

    private static double num(JsonObject o, String key) {
        return o.has(key) ? o.get(key).getAsDouble() : Double.NaN;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0);
    }
}
