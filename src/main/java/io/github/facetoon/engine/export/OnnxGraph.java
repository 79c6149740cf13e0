package io.github.facetoon.engine.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model under construction, written as the protobuf {@code onnx.ModelProto} without a protobuf library: the
 * few messages a feed-forward image network needs (model, graph, node, attribute, tensor, value info, type, shape,
 * opset, metadata), each field with the number it has in the ONNX specification's {@code onnx.proto} (IR version 8).
 *
 * <p>Nodes must be added in topological order; names are the caller's. Not thread-safe.
 */
public final class OnnxGraph {

    /** ONNX's element type FLOAT ({@code TensorProto.DataType}). */
    public static final int FLOAT = 1;
    /** ONNX's element type INT64. */
    public static final int INT64 = 7;
    /** The IR version written: 8, the one that goes with opset 17. */
    public static final int IR_VERSION = 8;

    // Field numbers of onnx.proto.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_DOC = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET = 8;
    private static final int MODEL_METADATA = 14;
    private static final int OPSET_VERSION = 2;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_STRING = 3;
    private static final int ATTR_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW = 9;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TYPE_TENSOR_ELEM = 1;
    private static final int TYPE_TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private final String name;
    private final int opset;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int counter;

    /**
     * Starts a graph.
     *
     * @param name the graph's name
     * @param opset the default-domain operator set it uses
     */
    public OnnxGraph(String name, int opset) {
        this.name = name;
        this.opset = opset;
    }

    /** A node attribute: build with the static factories. */
    public static final class Attribute {
        private final byte[] bytes;

        private Attribute(byte[] bytes) {
            this.bytes = bytes;
        }

        /**
         * An integer attribute.
         *
         * @param name its name
         * @param value its value
         * @return the attribute
         */
        public static Attribute of(String name, long value) {
            Proto p = new Proto().string(ATTR_NAME, name).varint(ATTR_TYPE, ATTR_TYPE_INT).varint(ATTR_I, value);
            return new Attribute(p.bytes());
        }

        /**
         * A float attribute.
         *
         * @param name its name
         * @param value its value
         * @return the attribute
         */
        public static Attribute of(String name, float value) {
            Proto p = new Proto().string(ATTR_NAME, name).varint(ATTR_TYPE, ATTR_TYPE_FLOAT).fixed32(ATTR_F, value);
            return new Attribute(p.bytes());
        }

        /**
         * A string attribute.
         *
         * @param name its name
         * @param value its value
         * @return the attribute
         */
        public static Attribute of(String name, String value) {
            Proto p = new Proto().string(ATTR_NAME, name).varint(ATTR_TYPE, ATTR_TYPE_STRING).string(ATTR_S, value);
            return new Attribute(p.bytes());
        }

        /**
         * An integer-list attribute.
         *
         * @param name its name
         * @param values its values
         * @return the attribute
         */
        public static Attribute ints(String name, long... values) {
            Proto p = new Proto().string(ATTR_NAME, name).varint(ATTR_TYPE, ATTR_TYPE_INTS);
            for (long v : values) {
                p.varint(ATTR_INTS, v);
            }
            return new Attribute(p.bytes());
        }
    }

    /**
     * Adds a float initializer (a constant such as a weight).
     *
     * @param tensorName its name
     * @param values the values, row-major
     * @param dims its shape
     * @return the name
     */
    public String floats(String tensorName, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(tensorName + ": " + values.length + " values for a shape of " + n);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(tensorName, FLOAT, dims, raw.array()));
        return tensorName;
    }

    /**
     * Adds a one-dimensional int64 initializer.
     *
     * @param tensorName its name
     * @param values the values
     * @return the name
     */
    public String longs(String tensorName, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(tensorName, INT64, new long[] {values.length}, raw.array()));
        return tensorName;
    }

    /**
     * Adds a scalar float constant.
     *
     * @param tensorName its name
     * @param value the value
     * @return the name
     */
    public String scalar(String tensorName, float value) {
        ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        initializers.add(tensor(tensorName, FLOAT, new long[0], raw.array()));
        return tensorName;
    }

    /**
     * Adds a node with one output, named after the operator and a counter.
     *
     * @param op the operator type (default domain)
     * @param inputNames its inputs ("" for an optional input left out)
     * @param attributes its attributes
     * @return the output's name
     */
    public String node(String op, List<String> inputNames, Attribute... attributes) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + (++counter);
        node(op, inputNames, out, attributes);
        return out;
    }

    /**
     * Adds a node with one named output.
     *
     * @param op the operator type (default domain)
     * @param inputNames its inputs ("" for an optional input left out)
     * @param output the output's name
     * @param attributes its attributes
     */
    public void node(String op, List<String> inputNames, String output, Attribute... attributes) {
        Proto p = new Proto();
        for (String in : inputNames) {
            p.string(NODE_INPUT, in);
        }
        p.string(NODE_OUTPUT, output).string(NODE_NAME, output).string(NODE_OP, op);
        for (Attribute a : attributes) {
            p.message(NODE_ATTRIBUTE, a.bytes);
        }
        nodes.add(p.bytes());
    }

    /**
     * Declares a float graph input.
     *
     * @param valueName its name
     * @param dims each dimension: a {@link Long} size or a {@link String} symbolic name
     */
    public void input(String valueName, Object... dims) {
        inputs.add(valueInfo(valueName, dims));
    }

    /**
     * Declares a float graph output.
     *
     * @param valueName its name
     * @param dims each dimension: a {@link Long} size or a {@link String} symbolic name
     */
    public void output(String valueName, Object... dims) {
        outputs.add(valueInfo(valueName, dims));
    }

    /**
     * Adds a metadata entry ({@code ModelProto.metadata_props}).
     *
     * @param key the key
     * @param value the value
     */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /**
     * Serialises the model.
     *
     * @param producer the producing program
     * @param version its version
     * @param doc a description
     * @return the bytes of an {@code onnx.ModelProto}
     */
    public byte[] toModel(String producer, String version, String doc) {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.message(GRAPH_NODE, n));
        graph.string(GRAPH_NAME, name);
        initializers.forEach(t -> graph.message(GRAPH_INITIALIZER, t));
        inputs.forEach(v -> graph.message(GRAPH_INPUT, v));
        outputs.forEach(v -> graph.message(GRAPH_OUTPUT, v));
        Proto model = new Proto().varint(MODEL_IR_VERSION, IR_VERSION).string(MODEL_PRODUCER_NAME, producer)
                .string(MODEL_PRODUCER_VERSION, version).string(MODEL_DOC, doc).message(MODEL_GRAPH, graph.bytes())
                .message(MODEL_OPSET, new Proto().varint(OPSET_VERSION, opset).bytes());
        metadata.forEach((k, v) -> model.message(MODEL_METADATA, new Proto().string(ENTRY_KEY, k).string(ENTRY_VALUE, v).bytes()));
        return model.bytes();
    }

    /**
     * Writes a model file so that it appears complete or not at all: a hidden temporary file in the same folder,
     * flushed to disk, then renamed over the target.
     *
     * @param model the bytes
     * @param target the file
     * @throws IOException when writing fails (the temporary file is removed)
     */
    public static void writeAtomically(byte[] model, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = io.github.facetoon.engine.data.OutputFiles.temporaryBeside(dir, target.getFileName().toString(), ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(model);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] tensor(String tensorName, int type, long[] dims, byte[] raw) {
        Proto p = new Proto();
        for (long d : dims) {
            p.varint(TENSOR_DIMS, d);
        }
        return p.varint(TENSOR_DATA_TYPE, type).string(TENSOR_NAME, tensorName).bytes(TENSOR_RAW, raw).bytes();
    }

    private static byte[] valueInfo(String valueName, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = d instanceof String s ? new Proto().string(DIM_PARAM, s) : new Proto().varint(DIM_VALUE, (Long) d);
            shape.message(SHAPE_DIM, dim.bytes());
        }
        Proto tensorType = new Proto().varint(TYPE_TENSOR_ELEM, FLOAT).message(TYPE_TENSOR_SHAPE, shape.bytes());
        Proto type = new Proto().message(TYPE_TENSOR, tensorType.bytes());
        return new Proto().string(VALUE_NAME, valueName).message(VALUE_TYPE, type.bytes()).bytes();
    }

    /** Protobuf wire format: varints (type 0), 32-bit little-endian (type 5), length-delimited (type 2). */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            key(field, 0);
            raw(value);
            return this;
        }

        Proto fixed32(int field, float value) {
            key(field, 5);
            int bits = Float.floatToIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i) & 0xff);
            }
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, byte[] value) {
            return bytes(field, value);
        }

        Proto bytes(int field, byte[] value) {
            key(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void key(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) (v & 0x7f | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
