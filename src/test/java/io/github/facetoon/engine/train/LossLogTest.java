package io.github.facetoon.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLogTest {

    @TempDir
    Path dir;

    @Test
    void theKeptHistorySurvivesARollBackAResumeAndACutLine() throws Exception {
        try (LossLog log = LossLog.open(dir, -1)) {
            for (int i = 1; i <= 5; i++) {
                log.step(i, Map.of("g_total", (double) i));
            }
            log.rolledBack(3);
            log.step(4, Map.of("g_total", 40.0));
        }
        try (LossLog log = LossLog.open(dir, 4)) {
            log.step(5, Map.of("g_total", 50.0));
        }
        Files.writeString(dir.resolve(LossLog.FILE), "6\tg_tot", java.nio.file.StandardOpenOption.APPEND);
        Map<Integer, Map<String, Double>> h = LossLog.read(dir);
        assertEquals(List.of(1, 2, 3, 4, 5), List.copyOf(h.keySet()));
        assertEquals(40.0, h.get(4).get("g_total"));
        assertEquals(50.0, h.get(5).get("g_total"));
        try (LossLog log = LossLog.open(dir, -1)) {
            log.step(1, Map.of("l1", 0.5));
        }
        assertEquals(List.of(1), List.copyOf(LossLog.read(dir).keySet()), "a fresh run starts a fresh history");
    }

    @Test
    void aRunsHistoryGoesOnAfterAResume() throws Exception {
        ScriptedRuns.runScripted(dir, 6, false);
        ScriptedRuns.runScripted(dir, 9, true);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
                List.copyOf(LossLog.read(dir.resolve("ws/runs/t")).keySet()));
    }
}
