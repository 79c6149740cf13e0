package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.Tensors;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A content feature network loaded from a user-supplied TorchScript file, meant for VGG19 {@code features[:26]}
 * (up to conv4_4, before its ReLU), the network White-box Cartoonization uses.
 *
 * <p><b>Security:</b> a TorchScript file is a program: loading it runs code from it. This network is opt-in
 * ({@code --content_net path.pt}); load only files you made yourself or trust.
 *
 * <p>The module is frozen: its parameters do not require gradients (DJL's default for a loaded TorchScript
 * module), and it runs in eval mode, so dropout and batch norm, if present, behave as in inference. Autograd is
 * still on during the forward, so gradients reach the input. The images are normalised before the module
 * sees them, by default as torchvision's VGG expects (see {@link InputNormalization}).
 */
public final class TorchScriptFeatureNetwork implements FeatureNetwork {

    /** How RGB images in [-1,1] are turned into the module's input. */
    public enum InputNormalization {
        /** torchvision ImageNet models: [-1,1] → [0,1] → (x − mean) / std, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225), RGB. */
        IMAGENET,
        /** The Caffe VGG weights of the White-box reference code: BGR in [0,255] minus mean (103.939, 116.779, 123.68). */
        CAFFE_BGR,
        /** RGB in [0,1]. */
        UNIT,
        /** RGB in [-1,1] as given. */
        NONE
    }

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    private static final float[] CAFFE_BGR_MEAN = {103.939f, 116.779f, 123.68f};

    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameterStore;
    private final InputNormalization normalization;
    private final NDArray mean;
    private final NDArray std;
    private final String name;

    private TorchScriptFeatureNetwork(Model model, PtSymbolBlock block, InputNormalization normalization,
            String name) {
        this.model = model;
        this.block = block;
        this.normalization = normalization;
        this.name = name;
        NDManager m = model.getNDManager();
        this.parameterStore = new ParameterStore(m, false);
        if (normalization == InputNormalization.IMAGENET) {
            mean = m.create(IMAGENET_MEAN, new Shape(1, 3, 1, 1));
            std = m.create(IMAGENET_STD, new Shape(1, 3, 1, 1));
        } else if (normalization == InputNormalization.CAFFE_BGR) {
            mean = m.create(CAFFE_BGR_MEAN, new Shape(1, 3, 1, 1));
            std = null;
        } else {
            mean = null;
            std = null;
        }
    }

    /**
     * Loads a TorchScript feature network with ImageNet normalisation (torchvision VGG19).
     *
     * @param file the TorchScript file (runs code from it: only files you made or trust)
     * @param device where the module runs
     * @return the network
     * @throws IOException when the file is missing or is not a loadable TorchScript module (the message names it)
     */
    public static TorchScriptFeatureNetwork open(Path file, Device device) throws IOException {
        return open(file, device, InputNormalization.IMAGENET);
    }

    /**
     * Loads a TorchScript feature network.
     *
     * @param file the TorchScript file (runs code from it: only files you made or trust)
     * @param device where the module runs
     * @param normalization how images in [-1,1] are prepared for the module
     * @return the network
     * @throws IOException when the file is missing or is not a loadable TorchScript module (the message names it)
     */
    public static TorchScriptFeatureNetwork open(Path file, Device device, InputNormalization normalization)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "content feature network file not found");
        }
        EngineRuntime.ensureConfigured();
        Model model = Model.newInstance("content-net", device, "PyTorch");
        try {
            // "trainParam" loads the weights as ordinary tensors; without it DJL loads them in inference mode,
            // and inference tensors cannot be saved for backward, so no gradient could reach the input.
            // "mapLocation" puts them on our device whatever device the file was saved from.
            model.load(file, null, Map.of("trainParam", "true", "mapLocation", "true"));
            Block loaded = model.getBlock();
            if (!(loaded instanceof PtSymbolBlock)) {
                throw new IOException(file + " did not load as a TorchScript module");
            }
            PtSymbolBlock block = (PtSymbolBlock) loaded;
            // Frozen: no parameter takes a gradient, and dropout/batch norm behave as in inference. We forward
            // with training=true only so that autograd stays on (DJL disables it for inference forwards); that
            // flag does not switch the module to training mode because DJL's block already believes it is in
            // training mode, so eval() set here holds.
            block.freezeParameters(true);
            JniUtils.enableInferenceMode(block);
            return new TorchScriptFeatureNetwork(model, block, normalization,
                    "torchscript/" + file.getFileName());
        } catch (MalformedModelException | EngineException | IOException e) {
            model.close();
            throw new IOException("cannot load the content feature network " + file
                    + " as TorchScript: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray features(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected images of shape (N,3,H,W), got " + s);
        }
        NDArray input = normalize(images);
        // training=true keeps autograd on so the gradient reaches the input; parameters stay frozen.
        NDList out = block.forward(parameterStore, new NDList(input), true);
        return out.singletonOrThrow();
    }

    /** Applies the input normalisation: (N,3,H,W) RGB [-1,1] -> what the module expects. */
    NDArray normalize(NDArray images) {
        if (normalization == InputNormalization.IMAGENET) {
            return Tensors.div(images.add(1f), 2).sub(mean).div(std);
        }
        if (normalization == InputNormalization.CAFFE_BGR) {
            NDArray bgr = images.flip(1);
            return Tensors.mul(bgr.add(1f), 127.5).sub(mean);
        }
        if (normalization == InputNormalization.UNIT) {
            return Tensors.div(images.add(1f), 2);
        }
        return images;
    }

    /** The input normalisation in use. */
    public InputNormalization normalization() {
        return normalization;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return name;
    }

    /** The loaded module, for tests that check its parameters stay frozen. */
    PtSymbolBlock block() {
        return block;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        model.close();
    }
}
