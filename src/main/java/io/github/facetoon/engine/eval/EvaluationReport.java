package io.github.facetoon.engine.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model's evaluation: one row per photo and the median of every figure over the rows (NaN values skipped).
 * The one place where these figures become a text table ({@link #toTable()}) and JSON ({@link #toJson()}).
 *
 * @param model the model's label
 * @param rows one row per photo, in order
 * @param median the median of each figure on its own ({@link CartoonScore#medianOf})
 * @param medianFlatGain the median of the rows' flat gains
 * @param medianInkGain the median of the rows' ink gains
 * @param medianLandmarkNme the median landmark error over the rows with a face on the photo; NaN when none
 * @param facesOnPhotos rows with a face found on the photo
 * @param facesKept rows with a face found on the photo that is still found on the cartoon
 */
public record EvaluationReport(String model, List<ImageEvaluation> rows, CartoonScore median, double medianFlatGain,
                               double medianInkGain, double medianLandmarkNme, int facesOnPhotos, int facesKept) {

    /** Copies the rows. */
    public EvaluationReport {
        Objects.requireNonNull(model, "model");
        rows = List.copyOf(rows);
        Objects.requireNonNull(median, "median");
    }

    /**
     * Builds the report and its medians from the rows.
     *
     * @param model the model's label
     * @param rows one row per photo
     * @return the report
     */
    public static EvaluationReport of(String model, List<ImageEvaluation> rows) {
        List<CartoonScore> scores = rows.stream().map(ImageEvaluation::score).toList();
        int onPhotos = (int) rows.stream().filter(ImageEvaluation::facePhoto).count();
        int kept = (int) rows.stream().filter(ImageEvaluation::faceKept).count();
        return new EvaluationReport(model, rows, CartoonScore.medianOf(scores),
                Medians.of(scores, CartoonScore::flatGain), Medians.of(scores, CartoonScore::inkGain),
                Medians.of(rows.stream().filter(ImageEvaluation::facePhoto).toList(), ImageEvaluation::landmarkNme),
                onPhotos, kept);
    }

    /**
     * The share of faces that survive cartoonization.
     *
     * @return facesKept / facesOnPhotos; NaN when no photo has a face
     */
    public double faceKeptShare() {
        return facesOnPhotos == 0 ? Double.NaN : (double) facesKept / facesOnPhotos;
    }

    /** The table's column headings, in order. */
    private static final String HEADER = String.format(Locale.ROOT,
            "%-28s %6s %6s %17s %11s %6s %6s %6s %13s %7s %7s %7s %5s",
            "photo", "MAD", "MAD-c", "cast R/G/B", "flat", "tex", "tex-e", "tex-o", "ink", "palette", "burn",
            "NME", "face");

    /**
     * The report as a fixed-width text table: one line per photo, then the medians. NaN shows as "-"; the face
     * column is "kept", "lost" or "-" (none on the photo).
     *
     * @return the table, lines ending in '\n'
     */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append("model: ").append(model).append('\n');
        out.append(HEADER).append('\n');
        for (ImageEvaluation r : rows) {
            out.append(line(r.name(), r.score(), r.score().flatGain(), r.score().inkGain(), r.landmarkNme(),
                    r.facePhoto() ? (r.faceCartoon() ? "kept" : "lost") : "-")).append('\n');
        }
        out.append(line("median", median, medianFlatGain, medianInkGain, medianLandmarkNme,
                facesKept + "/" + facesOnPhotos)).append('\n');
        return out.toString();
    }

    private static String line(String name, CartoonScore s, double flatGain, double inkGain, double nme,
                               String face) {
        double[] c = s.cast();
        String shortName = name.length() > 28 ? name.substring(0, 27) + "…" : name;
        return String.format(Locale.ROOT, "%-28s %6s %6s %17s %11s %6s %6s %6s %13s %7s %7s %7s %5s", shortName,
                f(s.mad(), 3), f(s.madWithoutCast(), 3), f(c[0], 0) + "/" + f(c[1], 0) + "/" + f(c[2], 0),
                f(s.flatPhoto(), 2) + "→" + f(s.flatCartoon(), 2), f(s.texture(), 2), f(s.textureOnEdges(), 2),
                f(s.textureOffEdges(), 2), f(s.inkPhoto(), 3) + "→" + f(s.inkCartoon(), 3), f(s.palette(), 2),
                f(s.burnOut(), 3), f(nme, 4), face);
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * The report as pretty-printed JSON: {@code model}, {@code rows} (each with {@code name}, the figures,
     * {@code landmarkNme}, {@code facePhoto}, {@code faceCartoon}), {@code median} (the figures plus
     * {@code landmarkNme}), {@code facesOnPhotos}, {@code facesKept} and {@code faceKeptShare}. NaN is written
     * as null.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("model", model);
        JsonArray list = new JsonArray();
        for (ImageEvaluation r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("name", r.name());
            figures(o, r.score(), r.score().flatGain(), r.score().inkGain());
            o.add("landmarkNme", number(r.landmarkNme()));
            o.addProperty("facePhoto", r.facePhoto());
            o.addProperty("faceCartoon", r.faceCartoon());
            list.add(o);
        }
        root.add("rows", list);
        JsonObject m = new JsonObject();
        figures(m, median, medianFlatGain, medianInkGain);
        m.add("landmarkNme", number(medianLandmarkNme));
        root.add("median", m);
        root.addProperty("facesOnPhotos", facesOnPhotos);
        root.addProperty("facesKept", facesKept);
        root.add("faceKeptShare", number(faceKeptShare()));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root);
    }

    private static void figures(JsonObject o, CartoonScore s, double flatGain, double inkGain) {
        o.add("mad", number(s.mad()));
        JsonArray cast = new JsonArray();
        for (double c : s.cast()) {
            cast.add(number(c));
        }
        o.add("cast", cast);
        o.add("madWithoutCast", number(s.madWithoutCast()));
        o.add("flatPhoto", number(s.flatPhoto()));
        o.add("flatCartoon", number(s.flatCartoon()));
        o.add("flatGain", number(flatGain));
        o.add("texture", number(s.texture()));
        o.add("textureOnEdges", number(s.textureOnEdges()));
        o.add("textureOffEdges", number(s.textureOffEdges()));
        o.add("inkPhoto", number(s.inkPhoto()));
        o.add("inkCartoon", number(s.inkCartoon()));
        o.add("inkGain", number(inkGain));
        o.add("palette", number(s.palette()));
        o.add("burnOut", number(s.burnOut()));
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }
}
