package io.github.facetoon.engine.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The three networks of White-box training, created together: the generator G, the surface discriminator
 * (3 channels, blurred images) and the texture discriminator (1 channel, grey images).
 *
 * <p>Initialisation is deterministic: every parameter draws from its own Java random stream keyed by the seed and
 * the parameter's path (see {@link SeededInitializer}), never from the engine's global generator, so the same seed
 * gives bit-identical weights on any device and in any thread. Kernels use Glorot uniform, biases zero, as the TF
 * defaults of White-box's {@code slim.convolution2d} and {@code tf.get_variable}; spectral-norm {@code u} vectors
 * start as random unit vectors.
 *
 * <p>Each network is saved as a small header (format tag, network id, parameter count, payload length) followed by
 * DJL's {@link Block#saveParameters} bytes, so a load can tell a truncated stream ({@link EOFException}) from a
 * stream of another network or a damaged one ({@link MalformedModelException}). A load first decodes into a scratch
 * copy and only then moves the values into the live parameters, keeping the same {@link NDArray} objects: a failed
 * load leaves the networks unchanged, and a trainer's parameter store stays valid after a successful one.
 *
 * <p>All parameters live in a sub-manager of the given manager, released by {@link #close()}. Parameter paths
 * (child block names and their order) feed both the seeded streams and the stream format: renaming or reordering a
 * child changes the initial weights for a given seed and makes older parameter files fail to load.
 */
public final class CartoonNetworks implements AutoCloseable {

    /** Stream tag written before each network's parameters. */
    static final String FORMAT_TAG = "facetoon-network";

    /** Version of the header layout. */
    static final int FORMAT_VERSION = 1;

    /** The three networks, with the stable ids used in streams and initialisation paths. */
    public enum Network {
        /** The U-Net generator, {@link GeneratorBlock}. */
        GENERATOR("generator", GeneratorBlock::new, new Shape(1, 3, 16, 16)),
        /** The surface discriminator, {@link PatchDiscriminatorBlock} on 3 channels. */
        SURFACE_DISCRIMINATOR("surface-discriminator", () -> new PatchDiscriminatorBlock(3), new Shape(1, 3, 16, 16)),
        /** The texture discriminator, {@link PatchDiscriminatorBlock} on 1 channel. */
        TEXTURE_DISCRIMINATOR("texture-discriminator", () -> new PatchDiscriminatorBlock(1), new Shape(1, 1, 16, 16));

        private final String id;
        private final Supplier<Block> factory;
        private final Shape nominalInput;

        Network(String id, Supplier<Block> factory, Shape nominalInput) {
            this.id = id;
            this.factory = factory;
            this.nominalInput = nominalInput;
        }

        /** Returns the stable id written to streams, e.g. {@code "surface-discriminator"}. */
        public String id() {
            return id;
        }

        Block newBlock() {
            return factory.get();
        }

        /** A small input shape for initialisation; parameter shapes do not depend on H and W. */
        Shape nominalInput() {
            return nominalInput;
        }
    }

    private final NDManager manager;
    private final long seed;
    private final GeneratorBlock generator;
    private final PatchDiscriminatorBlock surfaceDiscriminator;
    private final PatchDiscriminatorBlock textureDiscriminator;

    private CartoonNetworks(NDManager manager, long seed) {
        this.manager = manager;
        this.seed = seed;
        generator = (GeneratorBlock) initialize(Network.GENERATOR);
        surfaceDiscriminator = (PatchDiscriminatorBlock) initialize(Network.SURFACE_DISCRIMINATOR);
        textureDiscriminator = (PatchDiscriminatorBlock) initialize(Network.TEXTURE_DISCRIMINATOR);
    }

    /**
     * Creates and initialises the three networks on the device of {@code parent}.
     *
     * @param parent the manager whose device to use; the networks own a sub-manager of it
     * @param seed the initialisation seed: the same seed gives bit-identical weights
     * @return the initialised networks
     */
    public static CartoonNetworks create(NDManager parent, long seed) {
        Objects.requireNonNull(parent, "parent");
        NDManager own = parent.newSubManager();
        try {
            return new CartoonNetworks(own, seed);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Returns the generator. */
    public GeneratorBlock generator() {
        return generator;
    }

    /** Returns the surface discriminator (3 channels). */
    public PatchDiscriminatorBlock surfaceDiscriminator() {
        return surfaceDiscriminator;
    }

    /** Returns the texture discriminator (1 channel). */
    public PatchDiscriminatorBlock textureDiscriminator() {
        return textureDiscriminator;
    }

    /**
     * Returns one of the networks.
     *
     * @param network which one
     * @return its block
     */
    public Block block(Network network) {
        if (network == Network.GENERATOR) {
            return generator;
        }
        return network == Network.SURFACE_DISCRIMINATOR ? surfaceDiscriminator : textureDiscriminator;
    }

    /** Returns the seed the networks were initialised with. */
    public long seed() {
        return seed;
    }

    /** Returns the device the parameters live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** Returns the manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns the number of trainable scalars of one network (spectral-norm {@code u} vectors excluded).
     *
     * @param network which one
     * @return the count, e.g. 1,467,075 for the generator
     */
    public long trainableParameters(Network network) {
        return countTrainableParameters(block(network));
    }

    /**
     * Counts the scalars in the parameters of {@code block} that require a gradient.
     *
     * @param block an initialised block
     * @return the number of trainable scalars
     * @throws IllegalStateException if a parameter has no shape yet
     */
    public static long countTrainableParameters(Block block) {
        long count = 0;
        for (Parameter parameter : block.getParameters().values()) {
            if (!parameter.requiresGradient()) {
                continue;
            }
            Shape shape = parameter.getShape();
            if (shape == null) {
                throw new IllegalStateException("parameter " + parameter.getName() + " has no shape: initialise first");
            }
            count += shape.size();
        }
        return count;
    }

    /**
     * Writes one network's parameters (including spectral-norm {@code u} vectors) with a header.
     *
     * @param network which one
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void save(Network network, DataOutputStream out) throws IOException {
        Block block = block(network);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(payload)) {
            block.saveParameters(data);
        }
        out.writeUTF(FORMAT_TAG);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(network.id());
        out.writeLong(totalScalars(block));
        out.writeInt(payload.size());
        payload.writeTo(out);
    }

    /**
     * Reads one network's parameters written by {@link #save}. On any failure the live parameters are unchanged.
     *
     * @param network which one
     * @param in the stream, positioned at the network's header
     * @throws EOFException if the stream ends before the network's data does (truncated file)
     * @throws MalformedModelException if the stream holds another network, another format, or damaged data
     * @throws IOException if reading fails otherwise
     */
    public void load(Network network, DataInputStream in) throws IOException, MalformedModelException {
        Block live = block(network);
        byte[] payload = readPayload(network, in, totalScalars(live));
        try (NDManager scratch = manager.newSubManager()) {
            Block decoded = network.newBlock();
            DataInputStream data = new DataInputStream(new ByteArrayInputStream(payload));
            try {
                decoded.loadParameters(scratch, data);
            } catch (EOFException e) {
                throw new MalformedModelException("damaged " + network.id() + " parameters: they end early", e);
            } catch (RuntimeException e) {
                // DJL reports garbage shapes, names and array headers with unchecked exceptions.
                throw new MalformedModelException("damaged " + network.id() + " parameters: " + e.getMessage(), e);
            }
            if (data.available() != 0) {
                throw new MalformedModelException("damaged " + network.id() + " parameters: " + data.available()
                        + " bytes left over");
            }
            ParameterList target = live.getParameters();
            ParameterList source = decoded.getParameters();
            checkCompatible(network, target, source);
            for (int i = 0; i < target.size(); i++) {
                Parameter parameter = target.valueAt(i);
                NDArray array = parameter.getArray();
                // Swap a tensor into the existing NDArray, which keeps its manager and identity. It must be a copy
                // that owns its memory: on CPU a decoded tensor points into a Java buffer that only the decoded
                // NDArray keeps alive, and that NDArray is dropped with the scratch manager.
                array.intern(source.valueAt(i).getArray().duplicate());
                if (parameter.requiresGradient()) {
                    array.setRequiresGradient(true);
                }
            }
        }
    }

    /**
     * Writes the generator, the surface discriminator and the texture discriminator, in that order.
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void saveAll(DataOutputStream out) throws IOException {
        for (Network network : Network.values()) {
            save(network, out);
        }
    }

    /**
     * Reads the three networks written by {@link #saveAll}.
     *
     * @param in the stream
     * @throws IOException if reading fails or the stream is truncated
     * @throws MalformedModelException if the stream does not hold the three networks
     */
    public void loadAll(DataInputStream in) throws IOException, MalformedModelException {
        for (Network network : Network.values()) {
            load(network, in);
        }
    }

    /** Releases all parameters; the blocks cannot be used afterwards. */
    @Override
    public void close() {
        manager.close();
    }

    private Block initialize(Network network) {
        Block block = network.newBlock();
        for (var entry : block.getParameters()) {
            String path = network.id() + "/" + entry.getKey();
            Parameter parameter = entry.getValue();
            SeededInitializer.Kind kind;
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                kind = SeededInitializer.Kind.GLOROT_UNIFORM;
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                kind = SeededInitializer.Kind.ZEROS;
            } else if ("u".equals(parameter.getName())) {
                kind = SeededInitializer.Kind.UNIT_GAUSSIAN;
            } else {
                throw new IllegalStateException("no initialiser for parameter " + path);
            }
            parameter.setInitializer(new SeededInitializer(kind, seed, path));
        }
        block.initialize(manager, DataType.FLOAT32, network.nominalInput());
        return block;
    }

    private static byte[] readPayload(Network network, DataInputStream in, long expectedScalars)
            throws IOException, MalformedModelException {
        try {
            String tag = in.readUTF();
            if (!FORMAT_TAG.equals(tag)) {
                throw new MalformedModelException("not FaceToon network parameters (expected tag '" + FORMAT_TAG
                        + "')");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new MalformedModelException("unsupported network format version " + version + ", expected "
                        + FORMAT_VERSION);
            }
            String id = in.readUTF();
            if (!network.id().equals(id)) {
                throw new MalformedModelException("expected the " + network.id() + " but the stream holds the " + id);
            }
            long scalars = in.readLong();
            if (scalars != expectedScalars) {
                throw new MalformedModelException("the stream's " + id + " has " + scalars + " parameter values, this "
                        + "one has " + expectedScalars + ": a different architecture");
            }
            int length = in.readInt();
            if (length < 0) {
                throw new MalformedModelException("damaged " + id + " header: negative length " + length);
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return payload;
        } catch (EOFException e) {
            EOFException truncated = new EOFException("the " + network.id() + " parameters are truncated: the "
                    + "stream ends early");
            truncated.initCause(e);
            throw truncated;
        }
    }

    private static void checkCompatible(Network network, ParameterList target, ParameterList source)
            throws MalformedModelException {
        if (target.size() != source.size()) {
            throw new MalformedModelException(network.id() + ": " + source.size() + " parameters in the stream, "
                    + target.size() + " expected");
        }
        for (int i = 0; i < target.size(); i++) {
            NDArray expected = target.valueAt(i).getArray();
            NDArray actual = source.valueAt(i).getArray();
            if (!target.keyAt(i).equals(source.keyAt(i)) || !expected.getShape().equals(actual.getShape())
                    || expected.getDataType() != actual.getDataType()) {
                throw new MalformedModelException(String.format("%s: parameter %s %s %s does not match %s %s %s",
                        network.id(), source.keyAt(i), actual.getShape(), actual.getDataType(), target.keyAt(i),
                        expected.getShape(), expected.getDataType()));
            }
        }
    }

    private static long totalScalars(Block block) {
        long total = 0;
        for (Parameter parameter : block.getParameters().values()) {
            total += parameter.getShape().size();
        }
        return total;
    }
}
