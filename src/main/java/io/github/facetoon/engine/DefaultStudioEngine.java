package io.github.facetoon.engine;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.train.TrainingListener;
import io.github.facetoon.engine.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The engine behind the studio and the command line. */
final class DefaultStudioEngine implements StudioEngine {

    private final Workspace workspace;
    private final Device device;

    DefaultStudioEngine(Workspace workspace, String deviceSpec) {
        this.workspace = workspace;
        this.device = EngineRuntime.resolveDevice(deviceSpec);
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
        throw new UnsupportedOperationException("training is being wired in (engine issue)");
    }

    @Override
    public CartoonResult cartoonize(Path photo, ModelChoice model, int maxShortSide) throws IOException {
        throw new UnsupportedOperationException("inference is being wired in (engine issue)");
    }

    @Override
    public List<CheckpointInfo> checkpoints() {
        return List.of();
    }

    @Override
    public TestReport test(ModelChoice model, List<Path> photos, int imageSize) throws IOException {
        throw new UnsupportedOperationException("test is being wired in (engine issue)");
    }

    @Override
    public void close() {
        // nothing held yet
    }
}
