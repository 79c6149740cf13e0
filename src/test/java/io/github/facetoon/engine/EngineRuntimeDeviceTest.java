package io.github.facetoon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class EngineRuntimeDeviceTest {

    @Test
    void aGpuAskedForOnAMachineWithoutOneSaysWhatItNeedsInOneLine() {
        EngineRuntime.ensureConfigured();
        assumeTrue(EngineRuntime.engine().getGpuCount() == 0, "this machine has a GPU");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineRuntime.resolveDevice("gpu"));
        assertTrue(e.getMessage().contains("CPU build") && e.getMessage().contains("docs/gpu.md")
                && e.getMessage().endsWith("--device cpu or auto runs on the CPU"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> EngineRuntime.resolveDevice("gpu:1"));
        assertEquals(Device.cpu(), EngineRuntime.resolveDevice("auto"), "auto falls back to the CPU");
    }

    @Test
    void aCudaBuildWithoutADriverPointsAtTheDriver() {
        String m = EngineRuntime.noGpu("gpu", true);
        assertTrue(m.contains("NVIDIA driver") && m.contains("nvidia-smi"), m);
        assertFalse(m.contains("CPU build"), m);
    }

    @Test
    void unknownDevicesAreRefused() {
        EngineRuntime.ensureConfigured();
        assertThrows(IllegalArgumentException.class, () -> EngineRuntime.resolveDevice("tpu"));
        assertThrows(IllegalArgumentException.class, () -> EngineRuntime.resolveDevice("gpu:x"));
    }
}
