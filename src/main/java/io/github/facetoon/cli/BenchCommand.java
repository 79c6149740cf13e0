package io.github.facetoon.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.github.facetoon.engine.bench.BenchOptions;
import io.github.facetoon.engine.bench.BenchReportText;
import io.github.facetoon.engine.bench.Benchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: measures the engine on this machine (see docs/benchmarks.md); a thin adapter over {@link Benchmark}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure FLOPs, inference and training speed, input waits, preview cost, memory and drift on "
                + "this machine, optionally beside the PyTorch reference in bench/reference.py.",
            "Progress goes to standard error; the report (text or --json) to standard output."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--json-file", paramLabel = "FILE", description = "Also write the JSON report to this file.")
    Path jsonFile;

    @Option(names = "--quick", description = "A smoke run with tiny sizes and counts (seconds; the figures mean nothing).")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Run only these sections: matmul, inference, fullres (the photo's-own-size path at 1, 12 and 24 MP), video (a 720p clip with a face through the video path: frames/s, time per phase, flicker ratio), training, busy (training beside a program that keeps one core busy), drift (FLOPs always).")
    Set<String> only;

    @Option(names = "--sizes", split = ",", paramLabel = "PX", description = "Inference sides (default 256,512,720).")
    int[] sizes;

    @Option(names = "--batches", split = ",", paramLabel = "N", description = "Inference batch sizes to try (default 1,2,4).")
    int[] batches;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed runs before each series (default 2).")
    Integer warmup;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed runs per series; the median is reported (default 3).")
    Integer repeats;

    @Option(names = "--train-batch", paramLabel = "N", description = "Training batch size (default 16).")
    Integer trainBatch;

    @Option(names = "--train-size", paramLabel = "PX", description = "Training crop size (default 128).")
    Integer trainSize;

    @Option(names = "--train-steps", paramLabel = "N", description = "Timed training steps per run (default 3).")
    Integer trainSteps;

    @Option(names = "--train-warmup", paramLabel = "N", description = "Untimed training steps per run (default 1).")
    Integer trainWarmup;

    @Option(names = "--matmul-size", paramLabel = "N", description = "Side of the fp32 matrix multiply (default 2048).")
    Integer matmulSize;

    @Option(names = "--drift-steps", paramLabel = "N",
            description = "Training steps and inferences of the memory-drift check (default 100; 1000 for a thorough check; 0 skips).")
    Integer driftSteps;

    @Option(names = "--drift-batch", paramLabel = "N", description = "Batch size of the drift check's training (default 2).")
    Integer driftBatch;

    @Option(names = "--drift-size", paramLabel = "PX", description = "Image size of the drift check (default 64).")
    Integer driftSize;


    @Option(names = "--with-python", description = "Also run the Python reference (same sizes, same device) and print ratios.")
    boolean withPython;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "python3",
            description = "Python interpreter for --with-python (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--python-script", paramLabel = "FILE", defaultValue = "bench/reference.py",
            description = "The reference script (default: ${DEFAULT-VALUE}).")
    Path pythonScript;

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        JsonObject report = Benchmark.run(options, line -> err.println("bench: " + line));
        PrintWriter out = spec.commandLine().getOut();
        String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(report);
        if (jsonFile != null) {
            java.nio.file.Files.writeString(jsonFile, text + System.lineSeparator());
        }
        if (json) {
            out.println(text);
        } else {
            out.print(BenchReportText.render(report));
        }
        out.flush();
        return 0;
    }

    private BenchOptions options() {
        BenchOptions b = quick ? BenchOptions.smoke() : BenchOptions.defaults();
        return new BenchOptions(device, b.quick(), only != null ? only : b.sections(),
                sizes != null ? sizes : b.inferenceSizes(), batches != null ? batches : b.batches(),
                or(warmup, b.warmup()), or(repeats, b.repeats()), or(trainBatch, b.trainBatch()),
                or(trainSize, b.trainSize()), or(trainSteps, b.trainSteps()), or(trainWarmup, b.trainWarmup()),
                or(matmulSize, b.matmulSize()), or(driftSteps, b.driftSteps()), or(driftBatch, b.driftBatch()),
                or(driftSize, b.driftSize()), withPython ? python : null, pythonScript, io.github.facetoon.engine.NativeThreads.requested() > 0
                ? io.github.facetoon.engine.NativeThreads.requested() : b.threads());
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
