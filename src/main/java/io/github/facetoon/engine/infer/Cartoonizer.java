package io.github.facetoon.engine.infer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.export.GeneratorOnnx;
import io.github.facetoon.engine.export.OnnxGraph;
import io.github.facetoon.engine.model.ModelScale;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.train.CheckpointException;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointHeader;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Turns photos into cartoons with a trained generator: {@code cartoon = GF(I = x, p = G(x), r = 1, ε = 5e-3)},
 * White-box's inference path ({@code cartoonize.py}), with a strength control and guided upsampling.
 *
 * <p><b>Strength</b> s interpolates the generator's weights between its base generator (the pretrained
 * reconstruction network it was fine-tuned from, which reproduces the photo) and the trained one:
 * θ(s) = θ<sub>base</sub> + s·(θ<sub>trained</sub> − θ<sub>base</sub>), the network interpolation of ESRGAN
 * (Wang et al., ECCV 2018 workshops) and Real-ESRGAN. A model without a base falls back to blending the cartoon
 * with the photo, x + s·(cartoon − x), and {@link #strengthByInterpolation()} says so. The interpolated weights of the last strength
 * are kept, so redoing photos at one strength costs nothing extra.
 *
 * <p>Large working images run through the generator in overlapping tiles, blended linearly across the overlap,
 * so memory stays bounded. Thread-safe: calls are serialised.
 */
public final class Cartoonizer implements CartoonPipeline.WorkingModel, AutoCloseable {

    /** Guided-filter ε at inference (White-box {@code cartoonize.py}). */
    public static final float INFERENCE_FILTER_EPS = 5e-3f;
    /** The class-path location of the bundled default model. */
    public static final String BUNDLED_RESOURCE = "/checkpoints/facetoon-default.ftc";
    /** Checkpoint section holding the base generator. */
    public static final String BASE_SECTION = CheckpointFile.BASE_GENERATOR;
    /** The largest strength accepted. */
    public static final double MAX_STRENGTH = 2.0;
    /** Working images above this many pixels go through the generator in tiles. */
    static final long TILE_ABOVE_PIXELS = 1_100_000L;
    /** Tile side (a multiple of 8) and overlap between neighbouring tiles. */
    static final int TILE = 768;
    static final int OVERLAP = 64;

    private final NDManager manager;
    private final CartoonNetworks networks;
    private final ParameterStore store;
    private final GuidedFilter filter = new GuidedFilter(1, INFERENCE_FILTER_EPS);
    private final String label;
    private final ModelScale scale;
    private final List<NDArray> trained = new ArrayList<>();
    private final List<NDArray> base = new ArrayList<>();
    private double loadedStrength = 1.0;

    private Cartoonizer(NDManager manager, CartoonNetworks networks, String label, ModelScale scale) {
        this.manager = manager;
        this.networks = networks;
        this.store = new ParameterStore(manager, false);
        this.label = label;
        this.scale = scale;
    }

    /**
     * Loads the generator of a checkpoint file (full or generator-only).
     *
     * @param checkpoint the file
     * @param device where to run
     * @return the cartoonizer
     * @throws IOException when the file is missing, damaged or not a FaceToon model (the message says which)
     */
    public static Cartoonizer fromCheckpoint(Path checkpoint, Device device) throws IOException {
        CheckpointFile file = CheckpointFile.read(checkpoint);
        return fromFile(file, checkpoint, device, describe(checkpoint, file.header()));
    }

    /**
     * What a checkpoint is, for the cartoons it makes: its name when it has one, else its run and iteration, and the
     * file ("run 'portrait' at iteration 1,200 (iter-00001200.ftc)").
     */
    static String describe(Path checkpoint, com.google.gson.JsonObject json) {
        String file = String.valueOf(checkpoint.getFileName());
        CheckpointHeader h = CheckpointHeader.of(json);
        if (h.name().isPresent()) {
            return h.name().get() + " (" + file + ")";
        }
        if (h.modelVersion().isPresent() && json.has("iteration")) {
            return String.format(java.util.Locale.ROOT, "run '%s' at iteration %,d (%s)", h.modelVersion().get(),
                    h.iteration(), file);
        }
        return "checkpoint " + file;
    }

    /**
     * Loads the bundled default model from the application.
     *
     * @param device where to run
     * @return the cartoonizer
     * @throws IOException when the application has no bundled model or it is damaged
     */
    public static Cartoonizer bundled(Device device) throws IOException {
        try (InputStream in = Cartoonizer.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IOException("this build has no bundled default model (" + BUNDLED_RESOURCE + ")");
            }
            Path label = Path.of("bundled default model");
            return fromFile(CheckpointFile.parse(label, in.readAllBytes()), label, device, "bundled default model");
        }
    }

    private static Cartoonizer fromFile(CheckpointFile file, Path source, Device device, String label) throws IOException {
        if (!file.sections().containsKey("generator")) {
            throw new CheckpointException(source, "has no generator");
        }
        NDManager manager = NDManager.newBaseManager(device);
        CartoonNetworks nets = null;
        try {
            nets = CartoonNetworks.create(manager, 0);
            Cartoonizer c = new Cartoonizer(manager, nets, label, ModelScale.fromHeader(file.header()));
            if (file.sections().containsKey(BASE_SECTION)) {
                load(nets, file.section(BASE_SECTION));
                c.base.addAll(copyParameters(nets, manager));
            }
            load(nets, file.section("generator"));
            c.trained.addAll(copyParameters(nets, manager));
            return c;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            if (nets != null) {
                nets.close();
            }
            manager.close();
            throw new CheckpointException(source, "does not hold a FaceToon generator: " + e.getMessage(), e);
        }
    }

    private static void load(CartoonNetworks nets, byte[] section) throws IOException, MalformedModelException {
        nets.load(CartoonNetworks.Network.GENERATOR, new DataInputStream(new ByteArrayInputStream(section)));
    }

    private static List<NDArray> copyParameters(CartoonNetworks nets, NDManager manager) {
        List<NDArray> out = new ArrayList<>();
        for (Parameter p : nets.generator().getParameters().values()) {
            NDArray copy = p.getArray().duplicate();
            copy.attach(manager);
            out.add(copy);
        }
        return out;
    }

    /** A label for the UI ("bundled default model", "checkpoint iter-00001000.ftc"). */
    public String label() {
        return label;
    }

    /** The scale the model was trained at. */
    @Override
    public ModelScale scale() {
        return scale;
    }

    /** Whether the strength interpolates weights (the model has a base generator) rather than blending outputs. */
    public boolean strengthByInterpolation() {
        return !base.isEmpty();
    }

    /**
     * Cartoonizes a prepared photo at strength 1 (sides multiples of 8, see {@link InferenceSize}).
     *
     * @param bgr 8-bit BGR photo
     * @return the cartoon, same size, 8-bit BGR; the caller releases it
     */
    public synchronized Mat cartoonize(Mat bgr) {
        int h = bgr.rows();
        int w = bgr.cols();
        if (h % 8 != 0 || w % 8 != 0) {
            throw new IllegalArgumentException("sides must be multiples of 8, got " + w + "x" + h);
        }
        useStrength(1.0);
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = sm.create(ImageTensors.bgrToChw(bgr), new Shape(1, 3, h, w));
            // (1,3,H,W) -> (1,3,H,W)
            NDArray raw = networks.generator().forward(store, new NDList(photo), false).singletonOrThrow();
            NDArray cartoon = filter.filter(photo, raw).clip(-1f, 1f);
            return ImageTensors.chwToBgr(cartoon.toFloatArray(), h, w);
        }
    }

    /**
     * The inference guided filter's linear model for a working image: the generator's output at the given
     * strength, filtered with the photo as the guide, as coefficients A and B (CHW RGB, the working size) that
     * {@link GuidedUpsampler} applies at the output size.
     *
     * @param working the photo at the working size, 8-bit BGR, any size of at least 8×8
     * @param strength 0 (the base generator) to {@link #MAX_STRENGTH}; 1 is the model as trained
     * @return {A, B}
     */
    @Override
    public synchronized float[][] fit(Mat working, double strength) {
        if (!(strength >= 0 && strength <= MAX_STRENGTH)) {
            throw new IllegalArgumentException("strength must be between 0 and " + MAX_STRENGTH + ", got " + strength);
        }
        int h = working.rows();
        int w = working.cols();
        boolean interpolate = strengthByInterpolation();
        useStrength(interpolate ? strength : 1.0);
        float[] photoChw = ImageTensors.bgrToChw(working);
        float[][] ab = GuidedUpsampler.fit(manager, photoChw, generate(working), h, w);
        return interpolate || strength == 1.0 ? ab : GuidedUpsampler.blendWithPhoto(ab, strength);
    }

    /** The generator's raw output (CHW RGB in [-1,1]) for a photo of any size: padded to multiples of 8, tiled when large. */
    private float[] generate(Mat bgr) {
        int h = bgr.rows();
        int w = bgr.cols();
        int ph = (h + 7) / 8 * 8;
        int pw = (w + 7) / 8 * 8;
        Mat padded = bgr;
        if (ph != h || pw != w) {
            padded = new Mat();
            Core.copyMakeBorder(bgr, padded, 0, ph - h, 0, pw - w, Core.BORDER_REFLECT_101);
        }
        try {
            float[] out = (long) ph * pw > TILE_ABOVE_PIXELS ? tiled(padded) : forward(padded);
            return ph == h && pw == w ? out : crop(out, ph, pw, h, w);
        } finally {
            if (padded != bgr) {
                padded.release();
            }
        }
    }

    private float[] forward(Mat bgr) {
        int h = bgr.rows();
        int w = bgr.cols();
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = sm.create(ImageTensors.bgrToChw(bgr), new Shape(1, 3, h, w));
            // (1,3,H,W) -> (1,3,H,W)
            return networks.generator().forward(store, new NDList(photo), false).singletonOrThrow().toFloatArray();
        }
    }

    /** Overlapping tiles of {@link #TILE} px, each weighted by a ramp that falls to 0 across the overlap. */
    private float[] tiled(Mat bgr) {
        int h = bgr.rows();
        int w = bgr.cols();
        int plane = h * w;
        float[] sum = new float[3 * plane];
        float[] weight = new float[plane];
        for (int y0 : tileStarts(h)) {
            for (int x0 : tileStarts(w)) {
                int th = Math.min(TILE, h);
                int tw = Math.min(TILE, w);
                Mat tile = new Mat(bgr, new Rect(x0, y0, tw, th));
                float[] out;
                try {
                    out = forward(tile);
                } finally {
                    tile.release();
                }
                int tplane = th * tw;
                for (int y = 0; y < th; y++) {
                    float wy = ramp(y, th, y0 > 0, y0 + th < h);
                    for (int x = 0; x < tw; x++) {
                        float wt = wy * ramp(x, tw, x0 > 0, x0 + tw < w);
                        int dst = (y0 + y) * w + x0 + x;
                        int src = y * tw + x;
                        weight[dst] += wt;
                        for (int c = 0; c < 3; c++) {
                            sum[c * plane + dst] += wt * out[c * tplane + src];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < plane; i++) {
            float inv = 1f / weight[i];
            for (int c = 0; c < 3; c++) {
                sum[c * plane + i] *= inv;
            }
        }
        return sum;
    }

    /** Tile starts along a side: every tile is {@link #TILE} long (or the side), neighbours overlap by at least OVERLAP. */
    static int[] tileStarts(int side) {
        if (side <= TILE) {
            return new int[] {0};
        }
        int stride = TILE - OVERLAP;
        int n = (side - OVERLAP + stride - 1) / stride;
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            // Spread evenly, on multiples of 8 so every tile keeps the network's alignment.
            starts[i] = (int) Math.round((double) i * (side - TILE) / (n - 1) / 8) * 8;
        }
        starts[n - 1] = side - TILE;
        return starts;
    }

    /** Blend weight at position i of a tile of length n: a ramp over the overlap on sides that have a neighbour. */
    private static float ramp(int i, int n, boolean before, boolean after) {
        float wgt = 1f;
        if (before && i < OVERLAP) {
            wgt = Math.min(wgt, (i + 0.5f) / OVERLAP);
        }
        if (after && n - 1 - i < OVERLAP) {
            wgt = Math.min(wgt, (n - i - 0.5f) / OVERLAP);
        }
        return wgt;
    }

    private static float[] crop(float[] chw, int h, int w, int ch, int cw) {
        float[] out = new float[3 * ch * cw];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ch; y++) {
                System.arraycopy(chw, c * h * w + y * w, out, c * ch * cw + y * cw, cw);
            }
        }
        return out;
    }

    /**
     * Writes the generator as an ONNX model ({@link GeneratorOnnx}): at the given strength when the model carries its
     * base generator (weight interpolation, as in the studio), with or without the inference guided filter inside the
     * graph, and metadata saying how to prepare its input and read its output. The file appears complete or not at
     * all.
     *
     * @param out the file to write
     * @param withFilter whether the graph ends with the inference guided filter (its output is then the cartoon at the
     *     working size, as {@link #cartoonize} gives it) instead of the raw generator output
     * @param strength 0 to {@link #MAX_STRENGTH}; other than 1 only for a model with a base generator
     * @return the size of the file in bytes
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException when the strength cannot be applied
     */
    public synchronized long exportOnnx(Path out, boolean withFilter, double strength) throws IOException {
        if (!(strength >= 0 && strength <= MAX_STRENGTH)) {
            throw new IllegalArgumentException("strength must be between 0 and " + MAX_STRENGTH + ", got " + strength);
        }
        if (strength != 1.0 && !strengthByInterpolation()) {
            throw new IllegalArgumentException(label + " has no base generator, so its strength cannot be built into an "
                    + "ONNX model; export it at strength 1");
        }
        useStrength(strength);
        OnnxGraph graph = GeneratorOnnx.build(networks.generator(), "facetoon_generator",
                withFilter ? filter.radius() : -1, filter.eps());
        graph.metadata("facetoon.model", label);
        graph.metadata("facetoon.strength", Double.toString(strength));
        graph.metadata("facetoon.guided_filter", withFilter
                ? "inside: radius " + filter.radius() + ", eps " + filter.eps() + ", guided by the input, output clipped to [-1,1]"
                : "not inside: apply it yourself (radius " + filter.radius() + ", eps " + filter.eps() + ") for the product's look");
        graph.metadata("facetoon.input", "photo: float32 (N,3,H,W), RGB, values in [-1,1] = pixel / 127.5 - 1; "
                + "H and W multiples of 8 (pad by reflection)");
        graph.metadata("facetoon.output", "cartoon: float32 (N,3,H,W), RGB, values in [-1,1]; pixel = (value + 1) * 127.5");
        graph.metadata("facetoon.training_size", Integer.toString(scale.trainingSize()));
        graph.metadata("facetoon.face_iod", String.format(java.util.Locale.ROOT, "%.1f", scale.faceIod()));
        graph.metadata("facetoon.working_scale", "resize the photo so that the largest face's eyes are about "
                + String.format(java.util.Locale.ROOT, "%.0f", scale.faceIod()) + " px apart (without a face: short side "
                + WorkingScale.NO_FACE_MULTIPLE * scale.trainingSize() + " px) before the model, as the studio does");
        byte[] model = graph.toModel("FaceToon Studio", version(), "The White-box cartoonization generator"
                + " of FaceToon Studio" + (withFilter ? ", with its inference guided filter" : "") + ".");
        OnnxGraph.writeAtomically(model, out);
        return model.length;
    }

    private static String version() {
        String v = Cartoonizer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Puts θ(s) into the generator; the arrays of the last strength stay in place. */
    private void useStrength(double s) {
        if (s == loadedStrength) {
            return;
        }
        List<Parameter> params = new ArrayList<>(networks.generator().getParameters().values());
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < params.size(); i++) {
                NDArray t = trained.get(i);
                NDArray value = s == 1.0 || base.isEmpty() ? t : base.get(i).add(t.sub(base.get(i)).mul((float) s));
                params.get(i).getArray().set(FloatBuffer.wrap(value.toFloatArray()));
            }
        }
        loadedStrength = s;
    }

    @Override
    public synchronized void close() {
        networks.close();
        manager.close();
    }
}
