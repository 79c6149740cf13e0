package io.github.facetoon.engine.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonObject;
import io.github.facetoon.engine.EngineRuntime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a benchmark ran on: CPU, cores, memory, JDK, DJL and PyTorch versions, engine threads, load average. */
public final class MachineInfo {

    private MachineInfo() {}

    /**
     * Describes this machine.
     *
     * @param device the device spec the benchmark uses
     * @return a JSON object
     */
    public static JsonObject describe(String device) {
        Engine engine = EngineRuntime.engine();
        JsonObject m = new JsonObject();
        m.addProperty("cpu", cpuModel());
        m.addProperty("logicalCpus", Runtime.getRuntime().availableProcessors());
        m.addProperty("memoryBytes", totalMemoryBytes());
        m.addProperty("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.addProperty("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.addProperty("djl", Engine.getDjlVersion());
        m.addProperty("engine", engine.getEngineName() + " " + engine.getVersion());
        m.addProperty("engineThreads", JniUtils.getNumThreads());
        m.addProperty("engineInteropThreads", JniUtils.getNumInteropThreads());
        m.addProperty("gpus", engine.getGpuCount());
        m.addProperty("device", device);
        m.addProperty("loadAverageStart", loadAverage());
        return m;
    }

    /** Returns the 1, 5 and 15 minute load averages as in {@code /proc/loadavg}, or the JVM's 1-minute figure. */
    public static String loadAverage() {
        Path p = Path.of("/proc/loadavg");
        try {
            if (Files.isReadable(p)) {
                String[] parts = Files.readString(p).trim().split("\\s+");
                return parts[0] + " " + parts[1] + " " + parts[2];
            }
        } catch (IOException e) {
            // fall through
        }
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
        Path p = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(p)) {
                for (String line : Files.readAllLines(p)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    private static long totalMemoryBytes() {
        Path p = Path.of("/proc/meminfo");
        try {
            if (Files.isReadable(p)) {
                List<String> lines = Files.readAllLines(p);
                for (String line : lines) {
                    if (line.startsWith("MemTotal:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }
}
