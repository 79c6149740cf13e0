package io.github.facetoon.engine.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a training checkpoint into a model to hand out: the generator alone (a quarter of a full checkpoint:
 * no discriminators, no optimiser moments) and its base generator when it has one (the pretrained generator the
 * strength control interpolates from), with the header that says how it was trained, minus anything
 * that names the training machine's folders.
 *
 * <p>What the header keeps: iteration, phase, image size, batch size, seed, learning rate, loss weights, feature
 * network, device and the folder names (not paths) of the photos and cartoons. What it adds: {@code kind =
 * generator}, {@code exportedFrom} (the checkpoint's file name) and whatever the caller puts in {@code
 * extra} (a model name, a description). The result loads anywhere a checkpoint does for cartoonizing and as
 * {@code --init}; it cannot be resumed, which is what its kind says.
 */
public final class ModelExport {

    /** Config entries that hold paths: kept as their last name only. */
    private static final String[] PATH_KEYS = {"photos", "cartoons", "init", "contentNet"};

    private ModelExport() {
    }

    /**
     * Writes one model whose generator is the average of several checkpoints' generators (checkpoint averaging, the
     * offline form of an exponential moving average of the weights: GAN checkpoints a few hundred steps apart
     * oscillate around a look, and their average is steadier than any of them). The header and the base generator
     * are the last checkpoint's; {@code averagedFrom} lists the files.
     *
     * @param checkpoints two or more checkpoints of one run (the same network shapes)
     * @param target the model file to write (none of the checkpoints)
     * @param extra header entries to add (may be empty)
     * @param base as for {@link #export(Path, Path, JsonObject, Path)}
     * @return the model written (header and sections)
     * @throws IOException when a file is damaged, has no generator or does not fit the others, a source would be
     *     replaced, or writing fails; nothing is written then
     */
    public static CheckpointFile average(java.util.List<Path> checkpoints, Path target, JsonObject extra, Path base)
            throws IOException {
        if (checkpoints.size() < 2) {
            throw new IllegalArgumentException("averaging needs two or more checkpoints");
        }
        java.util.List<byte[]> generators = new java.util.ArrayList<>();
        com.google.gson.JsonArray names = new com.google.gson.JsonArray();
        CheckpointFile last = null;
        for (Path c : checkpoints) {
            refuseOverwrite(c, target);
            last = CheckpointFile.read(c);
            if (!last.sections().containsKey(PretrainLoop.GENERATOR)) {
                throw new CheckpointException(c, "has no generator");
            }
            generators.add(last.section(PretrainLoop.GENERATOR));
            names.add(String.valueOf(c.getFileName()));
        }
        JsonObject all = extra.deepCopy();
        all.add("averagedFrom", names);
        Map<String, byte[]> sections = new LinkedHashMap<>(last.sections());
        sections.put(PretrainLoop.GENERATOR, averageGenerators(generators, checkpoints));
        return writeModel(new CheckpointFile(last.header(), sections),
                String.valueOf(checkpoints.get(checkpoints.size() - 1).getFileName()), target, all, base);
    }

    /** The element-wise mean of generators' weights, each section as {@link CartoonNetworks#save} writes it. */
    private static byte[] averageGenerators(java.util.List<byte[]> generators, java.util.List<Path> files)
            throws IOException {
        io.github.facetoon.engine.EngineRuntime.ensureConfigured();
        // Without gradients: the parameters are leaves that may require them, and the sum is built in place.
        try (io.github.facetoon.engine.NoGrad ng = io.github.facetoon.engine.NoGrad.enter();
             ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu());
             io.github.facetoon.engine.model.CartoonNetworks sum = io.github.facetoon.engine.model.CartoonNetworks
                     .create(m, 0);
             io.github.facetoon.engine.model.CartoonNetworks one = io.github.facetoon.engine.model.CartoonNetworks
                     .create(m, 0)) {
            io.github.facetoon.engine.model.CartoonNetworks.Network g =
                    io.github.facetoon.engine.model.CartoonNetworks.Network.GENERATOR;
            PretrainLoop.loadNetwork(sum, g, generators.get(0));
            var into = sum.generator().getParameters();
            for (int k = 1; k < generators.size(); k++) {
                try {
                    PretrainLoop.loadNetwork(one, g, generators.get(k));
                } catch (IOException e) {
                    throw new CheckpointException(files.get(k), "does not fit the first checkpoint's generator");
                }
                var from = one.generator().getParameters();
                for (int i = 0; i < into.size(); i++) {
                    into.get(i).getValue().getArray().addi(from.get(i).getValue().getArray());
                }
            }
            for (int i = 0; i < into.size(); i++) {
                into.get(i).getValue().getArray().divi(generators.size());
            }
            return CheckpointFile.bytes(out -> sum.save(g, out));
        }
    }

    /**
     * Reads a checkpoint, keeps its generator and writes the model atomically.
     *
     * @param checkpoint a full or generator-only checkpoint
     * @param target the model file to write (never the checkpoint itself)
     * @param extra header entries to add (may be empty)
     * @return the model written (header and sections)
     * @throws IOException when the checkpoint is damaged or has no generator, the target is the source, or
     *     writing fails; nothing is written then
     */
    public static CheckpointFile export(Path checkpoint, Path target, JsonObject extra) throws IOException {
        return export(checkpoint, target, extra, null);
    }

    /**
     * Reads a checkpoint, keeps its generator (and its base generator) and writes the model atomically.
     *
     * @param checkpoint a full or generator-only checkpoint
     * @param target the model file to write (never the checkpoint itself)
     * @param extra header entries to add (may be empty)
     * @param base a checkpoint whose generator becomes the model's base for the strength control (the pretraining
     *     it was fine-tuned from), or null to keep the base the checkpoint records, if any
     * @return the model written (header and sections)
     * @throws IOException when a file is damaged or has no generator, the target is a source, or writing fails;
     *     nothing is written then
     */
    public static CheckpointFile export(Path checkpoint, Path target, JsonObject extra, Path base) throws IOException {
        refuseOverwrite(checkpoint, target);
        return writeModel(CheckpointFile.read(checkpoint), checkpoint.getFileName().toString(), target, extra, base);
    }

    /** The generator-only model of a checkpoint read already, with the base generator taken from {@code base}. */
    private static CheckpointFile writeModel(CheckpointFile file, String sourceName, Path target, JsonObject extra,
                                             Path base) throws IOException {
        CheckpointFile model = generatorOnly(file, sourceName, extra);
        if (base != null) {
            refuseOverwrite(base, target);
            CheckpointFile b = CheckpointFile.read(base);
            if (!b.sections().containsKey(PretrainLoop.GENERATOR)) {
                throw new CheckpointException(base, "has no generator");
            }
            Map<String, byte[]> sections = new LinkedHashMap<>(model.sections());
            sections.put(CheckpointFile.BASE_GENERATOR, b.section(PretrainLoop.GENERATOR));
            model = new CheckpointFile(model.header(), sections);
        }
        model.write(target);
        return model;
    }

    private static void refuseOverwrite(Path source, Path target) throws IOException {
        if (Files.exists(target) && Files.exists(source) && Files.isSameFile(source, target)) {
            throw new IOException("the model would replace its own checkpoint; choose another --out");
        }
    }

    /**
     * Writes the compact, resumable state of a training: the generator and both discriminators (and the base
     * generator unless {@code withBase} is false), the iteration, loss weights, learning rate and configuration
     * (folder names only), without the optimisers' moments (a full checkpoint's other half). Put into a run's
     * folder, {@code --resume} continues from it with fresh moments, on any machine.
     *
     * @param checkpoint a full checkpoint of a training
     * @param target the file to write
     * @param withBase whether to keep the base generator (it can be kept once elsewhere to save space)
     * @return the state written (header and sections)
     * @throws IOException when the checkpoint is damaged or not a full training checkpoint, or writing fails
     */
    public static CheckpointFile compact(Path checkpoint, Path target, boolean withBase) throws IOException {
        if (Files.exists(target) && Files.isSameFile(checkpoint, target)) {
            throw new IOException("the compact state would replace its own checkpoint; choose another --out");
        }
        CheckpointFile file = CheckpointFile.read(checkpoint);
        if (!CheckpointHeader.KIND_FULL.equals(CheckpointHeader.of(file.header()).kind())) {
            throw new CheckpointException(checkpoint, "is not a full training checkpoint");
        }
        JsonObject h = stripPaths(file.header().deepCopy());
        h.addProperty("kind", CheckpointHeader.KIND_COMPACT);
        h.addProperty("exportedFrom", checkpoint.getFileName().toString());
        Map<String, byte[]> sections = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : file.sections().entrySet()) {
            boolean network = e.getKey().equals(PretrainLoop.GENERATOR) || e.getKey().startsWith("disc_")
                    || withBase && e.getKey().equals(CheckpointFile.BASE_GENERATOR);
            if (network) {
                sections.put(e.getKey(), e.getValue());
            }
        }
        CheckpointFile out = new CheckpointFile(h, sections);
        out.write(target);
        return out;
    }

    /** The header without the training machine's folders: config paths cut to their last name. */
    private static JsonObject stripPaths(JsonObject h) {
        if (h.has("config") && h.get("config").isJsonObject()) {
            JsonObject config = h.getAsJsonObject("config");
            config.remove("workspace");
            for (String key : PATH_KEYS) {
                JsonElement v = config.get(key);
                if (v != null && v.isJsonPrimitive()) {
                    Path name = Path.of(v.getAsString()).getFileName();
                    config.addProperty(key, name == null ? "" : name.toString());
                }
            }
        }
        return h;
    }

    /**
     * The generator-only form of a checkpoint.
     *
     * @param file the checkpoint
     * @param sourceName the checkpoint's file name, recorded in the header
     * @param extra header entries to add (may be empty)
     * @return the model
     * @throws CheckpointException when the checkpoint has no generator
     */
    public static CheckpointFile generatorOnly(CheckpointFile file, String sourceName, JsonObject extra)
            throws CheckpointException {
        if (!file.sections().containsKey(PretrainLoop.GENERATOR)) {
            throw new CheckpointException(Path.of(sourceName), "has no generator");
        }
        JsonObject h = stripPaths(file.header().deepCopy());
        h.addProperty("kind", CheckpointHeader.KIND_GENERATOR);
        h.addProperty("exportedFrom", sourceName);
        for (Map.Entry<String, JsonElement> e : extra.entrySet()) {
            h.add(e.getKey(), e.getValue().deepCopy());
        }
        Map<String, byte[]> sections = new LinkedHashMap<>();
        sections.put(PretrainLoop.GENERATOR, file.section(PretrainLoop.GENERATOR));
        if (file.sections().containsKey(CheckpointFile.BASE_GENERATOR)) {
            sections.put(CheckpointFile.BASE_GENERATOR, file.section(CheckpointFile.BASE_GENERATOR));
        }
        return new CheckpointFile(h, sections);
    }
}
