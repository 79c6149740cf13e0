package io.github.facetoon.engine.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs the Python reference ({@code bench/reference.py}: the same generator and training step in PyTorch) after
 * the Java sections, on the same device and with the same sizes, counts and batch sizes, and reads its JSON report.
 * It runs after the Java sections, not beside them, so the two never compete for the cores.
 */
final class PythonReference {

    private PythonReference() {}

    /**
     * Runs the reference.
     *
     * @param options the benchmark's options (interpreter, script, sizes, counts)
     * @param progress receives the script's progress lines
     * @return its report, or an object with an {@code error} field when it could not run
     */
    static JsonObject run(BenchOptions options, Consumer<String> progress) {
        if (!Files.isRegularFile(options.pythonScript())) {
            return error("the reference script " + options.pythonScript() + " is not there (run from the repository root "
                    + "or pass --python-script)");
        }
        List<String> command = new ArrayList<>(List.of(options.python(), options.pythonScript().toString(), "--json",
                "--device", options.device(),
                "--sizes", join(options.inferenceSizes()), "--batches", join(options.batches()),
                "--warmup", Integer.toString(options.warmup()), "--repeats", Integer.toString(options.repeats()),
                "--train-batch", Integer.toString(options.trainBatch()),
                "--train-size", Integer.toString(options.trainSize()),
                "--train-steps", Integer.toString(options.trainSteps()),
                "--train-warmup", Integer.toString(options.trainWarmup()),
                "--matmul-size", Integer.toString(options.matmulSize()),
                "--threads", Integer.toString(JniUtils.getNumThreads())));
        if (!options.sections().contains("inference")) {
            command.add("--no-inference");
        }
        if (!options.sections().contains("training")) {
            command.add("--no-training");
        }
        try {
            Process process = new ProcessBuilder(command).start();
            Thread errors = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(line -> progress.accept("  python: " + line));
                } catch (IOException e) {
                    // the process ended
                }
            }, "facetoon-bench-python-stderr");
            errors.setDaemon(true);
            errors.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            errors.join(5000);
            if (code != 0) {
                return error(String.join(" ", command) + " exited with " + code);
            }
            JsonObject report = JsonParser.parseString(out).getAsJsonObject();
            report.addProperty("command", String.join(" ", command));
            return report;
        } catch (IOException | RuntimeException e) {
            return error("could not run " + options.python() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted");
        }
    }

    private static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
