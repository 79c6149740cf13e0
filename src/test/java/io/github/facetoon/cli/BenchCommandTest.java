package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void badSizesAreAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FaceToonCli.create(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("bench", "--quick", "--sizes", "100", "--device", "cpu");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("multiples of 8"), err.toString());
    }

    /** About 30 s on a two-core CPU: every section runs once at smoke-test sizes. */
    @Test
    @Tag("slow")
    void quickJsonRunHasEverySection() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FaceToonCli.create(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("bench", "--quick", "--json", "--device", "cpu", "--drift-steps", "3");
        assertEquals(0, code, err.toString());
        JsonObject r = JsonParser.parseString(out.toString()).getAsJsonObject();
        for (String key : new String[] {"machine", "options", "flops", "matmul", "inference", "training", "busy", "drift",
            "targets"}) {
            assertTrue(r.has(key), key + " in " + r.keySet());
        }
        assertEquals(3, r.getAsJsonArray("flops").asList().stream()
                .filter(f -> java.util.List.of(256, 512, 720).contains(f.getAsJsonObject().get("size").getAsInt())).count());
        JsonObject path = r.getAsJsonArray("inference").get(0).getAsJsonObject().getAsJsonObject("path");
        assertTrue(path.has("outsideNetworkShare"), path.toString());
        JsonObject training = r.getAsJsonObject("training");
        for (String key : new String[] {"pretrain", "full", "fullWithPreviews", "adversarial"}) {
            JsonObject run = training.getAsJsonObject(key);
            assertTrue(run.get("itPerSec").getAsDouble() > 0, key);
            assertTrue(run.has("dataWaitShare") && run.has("superpixelWaitShare") && run.has("peakHeapBytes")
                    && run.has("rssAfterStopBytes"), key);
        }
        assertTrue(training.has("previewCostShare"));
        assertTrue(r.getAsJsonObject("drift").getAsJsonObject("training").has("rssDriftBytes"));
    }
}
