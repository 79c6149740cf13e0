package io.github.facetoon.engine.perception;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a TensorFlow.js weights manifest ({@code *-weights_manifest.json}) and its binary shards.
 *
 * <p>Each manifest group lists shard files (concatenated in order) and the tensors stored in them, in order.
 * Supported storage: float32 and int32 as stored, and the quantized forms uint8 / uint16
 * ({@code value = min + scale·q}) and float16. Tensors keep the tfjs layout (e.g. HWIO for convolution
 * filters); {@link #array} checks the shape against what the receiving block expects.
 */
public final class TfjsWeights {

    /**
     * Opens a shard named in the manifest.
     */
    @FunctionalInterface
    public interface ShardOpener {
        /**
         * Opens one shard.
         *
         * @param name the shard name as written in the manifest
         * @return its bytes
         * @throws IOException when it cannot be opened
         */
        InputStream open(String name) throws IOException;
    }

    /**
     * One tensor.
     *
     * @param name its name in the manifest
     * @param shape its shape in tfjs layout
     * @param values its values, dequantized
     */
    public record Tensor(String name, long[] shape, float[] values) {}

    private final String source;
    private final Map<String, Tensor> tensors;

    private TfjsWeights(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Reads a manifest file; shards are looked up next to it.
     *
     * @param manifest the manifest file
     * @return the weights
     * @throws IOException when a file is missing, truncated or malformed (the message names the tensor)
     */
    public static TfjsWeights fromFile(Path manifest) throws IOException {
        Path dir = manifest.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(manifest)) {
            return read(in, name -> Files.newInputStream(dir.resolve(name)), manifest.toString());
        }
    }

    /**
     * Reads a manifest from the class path; shards are looked up in the same resource folder.
     *
     * @param folder resource folder, e.g. "/assets/models/face-api"
     * @param manifestName the manifest's file name
     * @return the weights
     * @throws IOException when a resource is missing, truncated or malformed
     */
    public static TfjsWeights fromResource(String folder, String manifestName) throws IOException {
        String base = folder.endsWith("/") ? folder : folder + "/";
        InputStream in = TfjsWeights.class.getResourceAsStream(base + manifestName);
        if (in == null) {
            throw new IOException("model file " + base + manifestName + " is missing from the application");
        }
        try (in) {
            return read(in, name -> {
                InputStream s = TfjsWeights.class.getResourceAsStream(base + name);
                if (s == null) {
                    throw new IOException("model file " + base + name + " is missing from the application");
                }
                return s;
            }, base + manifestName);
        }
    }

    /**
     * Reads a manifest and its shards.
     *
     * @param manifestJson the manifest
     * @param shards opens each shard by its name in the manifest
     * @param source a label for error messages
     * @return the weights
     * @throws IOException when something is missing, truncated or malformed
     */
    public static TfjsWeights read(InputStream manifestJson, ShardOpener shards, String source) throws IOException {
        JsonArray groups;
        try {
            groups = JsonParser.parseReader(new InputStreamReader(manifestJson, StandardCharsets.UTF_8)).getAsJsonArray();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(source + ": not a tfjs weights manifest (" + e.getMessage() + ")", e);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonElement g : groups) {
            JsonObject group = g.getAsJsonObject();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (JsonElement p : group.getAsJsonArray("paths")) {
                try (InputStream s = shards.open(p.getAsString())) {
                    s.transferTo(data);
                }
            }
            ByteBuffer buf = ByteBuffer.wrap(data.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonElement w : group.getAsJsonArray("weights")) {
                Tensor t = readTensor(w.getAsJsonObject(), buf, source);
                out.put(t.name(), t);
            }
            if (buf.hasRemaining()) {
                throw new IOException(source + ": " + buf.remaining() + " bytes left over after the last tensor: "
                        + "the weights file does not match its manifest");
            }
        }
        return new TfjsWeights(source, out);
    }

    private static Tensor readTensor(JsonObject w, ByteBuffer buf, String source) throws IOException {
        String name = w.get("name").getAsString();
        JsonArray shapeJson = w.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
            count *= shape[i];
        }
        String dtype = w.get("dtype").getAsString();
        JsonObject quant = w.has("quantization") ? w.getAsJsonObject("quantization") : null;
        String storage = quant != null ? quant.get("dtype").getAsString() : dtype;
        int bytes = switch (storage) {
            case "uint8" -> 1;
            case "uint16", "float16" -> 2;
            case "float32", "int32" -> 4;
            default -> throw new IOException(source + ": tensor '" + name + "' has unsupported storage type " + storage);
        };
        if (count > Integer.MAX_VALUE / 4 || buf.remaining() < count * bytes) {
            throw new IOException(source + ": tensor '" + name + "' needs " + count * bytes + " bytes but only "
                    + buf.remaining() + " are left: the weights file is truncated or does not match its manifest");
        }
        float[] v = new float[(int) count];
        if (quant != null && (storage.equals("uint8") || storage.equals("uint16"))) {
            double min = quant.get("min").getAsDouble();
            double scale = quant.get("scale").getAsDouble();
            for (int i = 0; i < v.length; i++) {
                int q = storage.equals("uint8") ? buf.get() & 0xff : buf.getShort() & 0xffff;
                v[i] = (float) (min + scale * q);
            }
        } else if (storage.equals("float16")) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.float16ToFloatCompat(buf.getShort());
            }
        } else if (storage.equals("int32")) {
            for (int i = 0; i < v.length; i++) {
                v[i] = buf.getInt();
            }
        } else {
            for (int i = 0; i < v.length; i++) {
                v[i] = buf.getFloat();
            }
        }
        return new Tensor(name, shape, v);
    }

    /** The tensor names, in manifest order. */
    public java.util.Set<String> names() {
        return tensors.keySet();
    }

    /**
     * Returns a tensor, checking its shape.
     *
     * @param name the tensor's name
     * @param expectedShape the shape the receiving block expects (tfjs layout)
     * @return the tensor
     * @throws IllegalArgumentException when it is missing or has another shape (the message names it)
     */
    public Tensor tensor(String name, long... expectedShape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' is missing");
        }
        if (expectedShape.length > 0 && !Arrays.equals(t.shape(), expectedShape)) {
            throw new IllegalArgumentException(source + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expectedShape));
        }
        return t;
    }

    /**
     * Returns a tensor as an NDArray in tfjs layout, checking its shape.
     *
     * @param manager where the array lives
     * @param name the tensor's name
     * @param expectedShape the expected shape (tfjs layout)
     * @return the array
     */
    public NDArray array(NDManager manager, String name, long... expectedShape) {
        Tensor t = tensor(name, expectedShape);
        return manager.create(t.values(), new Shape(t.shape()));
    }

    /** The label of the manifest the weights came from. */
    public String source() {
        return source;
    }

    /** Half-precision decoding for Java 17 (Float.float16ToFloat arrived in 20). */
    private static final class Float {
        static float float16ToFloatCompat(short h) {
            int bits = h & 0xffff;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >> 10) & 0x1f;
            int mant = bits & 0x3ff;
            if (exp == 0) {
                return java.lang.Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
            }
            if (exp == 31) {
                return java.lang.Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            return java.lang.Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
    }
}
