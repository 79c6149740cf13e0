package io.github.facetoon.engine;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.github.facetoon.config.ConfigJson;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.data.ImageReader;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.infer.InferenceSize;
import io.github.facetoon.engine.train.CheckpointException;
import io.github.facetoon.engine.train.CheckpointFile;
import io.github.facetoon.engine.train.CheckpointStore;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingLoops;
import io.github.facetoon.engine.train.TrainingRun;
import io.github.facetoon.engine.train.TrainingRunner;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind the studio and the command line. */
final class DefaultStudioEngine implements StudioEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStudioEngine.class);

    private final Workspace workspace;
    private final Device device;
    private final ImageReader reader = new ImageReader();
    private final Map<ModelChoice, Cartoonizer> models = new HashMap<>();
    private final List<TrainingRun> runs = new ArrayList<>();

    DefaultStudioEngine(Workspace workspace, String deviceSpec) {
        this.workspace = workspace;
        this.device = EngineRuntime.resolveDevice(deviceSpec);
        OpenCvRuntime.ensureLoaded();
        EngineRuntime.logStart(device);
    }

    @Override
    public DeviceInfo deviceInfo() {
        boolean gpu = device.isGpu();
        String description = gpu ? "GPU " + device.getDeviceId()
                : "CPU, " + Runtime.getRuntime().availableProcessors() + " cores";
        var engine = EngineRuntime.engine();
        return new DeviceInfo(device.toString(), description, gpu,
                engine.getEngineName() + " " + engine.getVersion(), EngineRuntime.isOffline());
    }

    @Override
    public TrainingRun startTraining(TrainingConfig config, TrainingListener listener) {
        Device dev = "auto".equals(config.device()) ? device : EngineRuntime.resolveDevice(config.device());
        TrainingRunner runner = new TrainingRunner(config, () -> {
            try {
                return TrainingLoops.create(config, dev, listener);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }, listener);
        synchronized (runs) {
            runs.add(runner);
        }
        return runner.start();
    }

    @Override
    public CartoonResult cartoonize(Path photo, ModelChoice model, int maxShortSide) throws IOException {
        long t0 = System.nanoTime();
        Mat input = reader.read(photo);
        Mat prepared = null;
        Mat cartoon = null;
        try {
            prepared = InferenceSize.prepare(input, maxShortSide);
            Cartoonizer c = model(model);
            cartoon = c.cartoonize(prepared);
            return new CartoonResult(ImageTensors.bgrToPixels(prepared), ImageTensors.bgrToPixels(cartoon), c.label(),
                    List.of(), (System.nanoTime() - t0) / 1_000_000);
        } catch (IllegalArgumentException e) {
            throw new IOException(photo.getFileName() + ": " + e.getMessage(), e);
        } finally {
            input.release();
            if (prepared != null) {
                prepared.release();
            }
            if (cartoon != null) {
                cartoon.release();
            }
        }
    }

    /** Returns the loaded model for a choice, loading it on first use. */
    private Cartoonizer model(ModelChoice choice) throws IOException {
        synchronized (models) {
            Cartoonizer c = models.get(choice);
            if (c == null) {
                if (choice instanceof ModelChoice.Checkpoint cp) {
                    c = Cartoonizer.fromCheckpoint(cp.path(), device);
                } else if (choice instanceof ModelChoice.Bundled) {
                    c = Cartoonizer.bundled(device);
                } else {
                    throw new IOException("the classic filter is being wired in");
                }
                models.put(choice, c);
            }
            return c;
        }
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        List<CheckpointInfo> out = new ArrayList<>();
        Path runsDir = workspace.runs();
        if (!Files.isDirectory(runsDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runsDir)) {
            for (Path run : ds) {
                for (Path p : new CheckpointStore(run, 5, 0).list()) {
                    try {
                        JsonObject h = CheckpointFile.readHeader(p);
                        out.add(new CheckpointInfo(p, h.get("modelVersion").getAsString(),
                                TrainingConfig.Phase.valueOf(h.get("phase").getAsString()), h.get("iteration").getAsInt(),
                                ConfigJson.weights(h.getAsJsonObject("weights")), h.get("imageSize").getAsInt(),
                                Instant.parse(h.get("savedAt").getAsString())));
                    } catch (CheckpointException | RuntimeException e) {
                        LOG.warn("skipping an unreadable checkpoint: {}", e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list checkpoints in {}: {}", runsDir, e.getMessage());
        }
        out.sort(Comparator.comparing(CheckpointInfo::saved).reversed());
        return out;
    }

    @Override
    public TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException {
        Cartoonizer c = model(model);
        List<TestReport.Item> items = new ArrayList<>();
        double sumL1 = 0;
        for (Path p : photos) {
            Mat input = reader.read(p);
            Mat square = InferenceSize.centreSquare(input, imageSize);
            Mat cartoon = c.cartoonize(square);
            try {
                Mat diff = new Mat();
                Core.absdiff(square, cartoon, diff);
                double l1 = Core.mean(diff).val[0] + Core.mean(diff).val[1] + Core.mean(diff).val[2];
                diff.release();
                l1 = l1 / 3 / 127.5;
                sumL1 += l1;
                items.add(new TestReport.Item(p.getFileName().toString(), ImageTensors.bgrToPixels(square),
                        ImageTensors.bgrToPixels(cartoon), l1, Double.NaN));
            } finally {
                input.release();
                square.release();
                cartoon.release();
            }
        }
        return new TestReport(c.label(), items, items.isEmpty() ? Double.NaN : sumL1 / items.size(), Double.NaN, 0);
    }

    @Override
    public void close() {
        synchronized (runs) {
            for (TrainingRun r : runs) {
                r.cancel();
            }
            for (TrainingRun r : runs) {
                try {
                    r.completion().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("a training did not stop in time: {}", e.toString());
                }
            }
        }
        synchronized (models) {
            models.values().forEach(Cartoonizer::close);
            models.clear();
        }
    }
}
