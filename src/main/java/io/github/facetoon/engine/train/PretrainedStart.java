package io.github.facetoon.engine.train;

import com.google.gson.JsonObject;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import io.github.facetoon.engine.infer.Cartoonizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a training starts when nobody says: a pretrained generator, never random weights (whose flat output the
 * adversarial terms cannot get out of). The newest pretraining in the workspace if there is one, else the bundled
 * model's base generator (its photo pretraining), written once into the workspace as a file that {@code --init}
 * takes.
 *
 * @param checkpoint the file to start the generator from
 * @param description what it is, in a user's words
 */
public record PretrainedStart(Path checkpoint, String description) {

    /** Where the bundled model's base generator is written in a workspace. */
    static final String BUNDLED_BASE = "bundled/pretrained-generator.ftc";

    /**
     * Finds the default start.
     *
     * @param workspace the workspace
     * @return the start, or empty when the workspace has no pretraining and this build has no bundled model
     * @throws IOException when the bundled model's generator cannot be written into the workspace
     */
    public static Optional<PretrainedStart> find(Workspace workspace) throws IOException {
        Optional<PretrainedStart> newest = newestPretraining(workspace);
        return newest.isPresent() ? newest : bundledBase(workspace);
    }

    /** The newest pretraining checkpoint of the workspace (by when it was saved). */
    static Optional<PretrainedStart> newestPretraining(Workspace workspace) throws IOException {
        Path best = null;
        Instant bestAt = Instant.MIN;
        CheckpointHeader bestHeader = null;
        if (!Files.isDirectory(workspace.runs())) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(workspace.runs(), Files::isDirectory)) {
            for (Path run : runs) {
                for (Path p : new CheckpointStore(run, 1, 0).list()) {
                    try {
                        CheckpointHeader h = CheckpointHeader.of(CheckpointFile.readHeader(p));
                        if (!h.isPretraining()) {
                            break;
                        }
                        Instant at = h.savedAt().isPresent() ? h.savedAt().get()
                                : Files.getLastModifiedTime(p).toInstant();
                        if (at.isAfter(bestAt)) {
                            best = p;
                            bestAt = at;
                            bestHeader = h;
                        }
                        break; // the newest good-looking one of this run is enough
                    } catch (CheckpointException | RuntimeException e) {
                        // a damaged checkpoint is passed over; an older one of the run may do
                    }
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new PretrainedStart(best, "the newest pretraining, run '"
                + bestHeader.modelVersion().orElse("?") + "' at iteration " + bestHeader.iteration()));
    }

    /** The bundled model's base generator as a pretraining checkpoint in the workspace. */
    static Optional<PretrainedStart> bundledBase(Workspace workspace) throws IOException {
        CheckpointFile bundled;
        try (InputStream in = PretrainedStart.class.getResourceAsStream(Cartoonizer.BUNDLED_RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            bundled = CheckpointFile.parse(Path.of("bundled default model"), in.readAllBytes());
        }
        if (!bundled.sections().containsKey(CheckpointFile.BASE_GENERATOR)) {
            return Optional.empty();
        }
        Path file = workspace.root().resolve(BUNDLED_BASE);
        if (!Files.isRegularFile(file) || !sameBase(file, bundled)) {
            JsonObject h = new JsonObject();
            h.addProperty("kind", CheckpointHeader.KIND_GENERATOR);
            h.addProperty("phase", TrainingConfig.Phase.PRETRAIN.name());
            h.addProperty("iteration", 0);
            h.addProperty("modelVersion", "bundled");
            h.addProperty("name", "the bundled model's pretrained generator");
            h.addProperty("savedAt", Instant.now().toString());
            Map<String, byte[]> sections = new LinkedHashMap<>();
            sections.put(PretrainLoop.GENERATOR, bundled.section(CheckpointFile.BASE_GENERATOR));
            new CheckpointFile(h, sections).write(file);
        }
        return Optional.of(new PretrainedStart(file, "the bundled model's pretrained generator"));
    }

    private static boolean sameBase(Path file, CheckpointFile bundled) {
        try {
            return java.util.Arrays.equals(CheckpointFile.read(file).section(PretrainLoop.GENERATOR),
                    bundled.section(CheckpointFile.BASE_GENERATOR));
        } catch (CheckpointException | RuntimeException e) {
            return false;
        }
    }
}
