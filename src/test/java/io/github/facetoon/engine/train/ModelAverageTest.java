package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.model.CartoonNetworks.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelAverageTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void engine() {
        EngineRuntime.ensureConfigured();
    }

    private static Path checkpoint(NDManager m, long seed, int iteration) throws Exception {
        try (CartoonNetworks nets = CartoonNetworks.create(m, seed)) {
            JsonObject h = new JsonObject();
            h.addProperty("kind", CheckpointHeader.KIND_FULL);
            h.addProperty("iteration", iteration);
            h.addProperty("modelVersion", "avg");
            Path p = dir.resolve("iter-" + iteration + ".ftc");
            new CheckpointFile(h, Map.of(PretrainLoop.GENERATOR,
                    CheckpointFile.bytes(out -> nets.save(Network.GENERATOR, out)))).write(p);
            return p;
        }
    }

    @Test
    void theAveragedModelsGeneratorIsTheMeanOfTheCheckpointsGenerators() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Path a = checkpoint(m, 1, 100);
            Path b = checkpoint(m, 2, 200);
            Path model = dir.resolve("average.ftc");
            JsonObject h = ModelExport.average(List.of(a, b), model, new JsonObject(), null).header();
            assertEquals(200, h.get("iteration").getAsInt(), "the last checkpoint's header");
            assertEquals(2, h.getAsJsonArray("averagedFrom").size());
            assertEquals(CheckpointHeader.KIND_GENERATOR, CheckpointHeader.of(CheckpointFile.read(model).header()).kind());
            try (CartoonNetworks na = CartoonNetworks.create(m, 1); CartoonNetworks nb = CartoonNetworks.create(m, 2);
                 CartoonNetworks avg = CartoonNetworks.create(m, 3)) {
                PretrainLoop.loadNetwork(avg, Network.GENERATOR, CheckpointFile.read(model).section(PretrainLoop.GENERATOR));
                var pa = na.generator().getParameters();
                var pb = nb.generator().getParameters();
                var pv = avg.generator().getParameters();
                assertEquals(pa.size(), pv.size());
                double worst = 0;
                for (int i = 0; i < pv.size(); i++) {
                    float[] x = pa.get(i).getValue().getArray().toFloatArray();
                    float[] y = pb.get(i).getValue().getArray().toFloatArray();
                    float[] v = pv.get(i).getValue().getArray().toFloatArray();
                    for (int k = 0; k < v.length; k++) {
                        worst = Math.max(worst, Math.abs(v[k] - (x[k] + y[k]) / 2));
                    }
                }
                assertTrue(worst < 1e-6, "largest difference from the mean " + worst);
            }
            assertThrows(java.io.IOException.class, () -> ModelExport.average(List.of(a, b), a, new JsonObject(), null),
                    "never over a source");
            // Also while a gradient recording is open on this thread (the parameters are then leaves that need
            // gradients, and a sum built in place would be refused).
            try (io.github.facetoon.engine.Autograd recording = io.github.facetoon.engine.Autograd.record()) {
                Path again = dir.resolve("average-again.ftc");
                ModelExport.average(List.of(a, b), again, new JsonObject(), null);
                assertTrue(Files.size(again) > 0);
            }
            assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(".average-")),
                    "no staging file left");
        }
    }
}
