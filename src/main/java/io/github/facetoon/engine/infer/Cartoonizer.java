package io.github.facetoon.engine.infer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.representation.GuidedFilter;
import io.github.facetoon.engine.train.CheckpointException;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.opencv.core.Mat;

/**
 * Turns photos into cartoons with a trained generator: {@code cartoon = GF(I = x, p = G(x), r = 1, ε = 5e-3)},
 * White-box's inference path ({@code cartoonize.py}). Thread-safe: calls are serialised.
 */
public final class Cartoonizer implements AutoCloseable {

    /** Guided-filter ε at inference (White-box {@code cartoonize.py}). */
    public static final float INFERENCE_FILTER_EPS = 5e-3f;
    /** The class-path location of the bundled default model. */
    public static final String BUNDLED_RESOURCE = "/checkpoints/facetoon-default.ftc";

    private final NDManager manager;
    private final CartoonNetworks networks;
    private final ParameterStore store;
    private final GuidedFilter filter = new GuidedFilter(1, INFERENCE_FILTER_EPS);
    private final String label;

    private Cartoonizer(NDManager manager, CartoonNetworks networks, String label) {
        this.manager = manager;
        this.networks = networks;
        this.store = new ParameterStore(manager, false);
        this.label = label;
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
        return fromFile(CheckpointFile.read(checkpoint), checkpoint, device, "checkpoint " + checkpoint.getFileName());
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
            nets.load(CartoonNetworks.Network.GENERATOR, new DataInputStream(new ByteArrayInputStream(file.section("generator"))));
            return new Cartoonizer(manager, nets, label);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            if (nets != null) {
                nets.close();
            }
            manager.close();
            throw new CheckpointException(source, "does not hold a FaceToon generator: " + e.getMessage(), e);
        }
    }

    /** A label for the UI ("bundled default model", "checkpoint iter-00001000.ftc"). */
    public String label() {
        return label;
    }

    /**
     * Cartoonizes a prepared photo (sides multiples of 8, see {@link InferenceSize}).
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
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope(); NDManager sm = manager.newSubManager()) {
            NDArray photo = sm.create(ImageTensors.bgrToChw(bgr), new Shape(1, 3, h, w));
            // (1,3,H,W) -> (1,3,H,W)
            NDArray raw = networks.generator().forward(store, new NDList(photo), false).singletonOrThrow();
            NDArray cartoon = filter.filter(photo, raw).clip(-1f, 1f);
            return ImageTensors.chwToBgr(cartoon.toFloatArray(), h, w);
        }
    }

    @Override
    public synchronized void close() {
        networks.close();
        manager.close();
    }
}
