package io.github.facetoon.engine.train;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.data.TrainingData;
import io.github.facetoon.engine.perception.FeatureNetwork;
import io.github.facetoon.engine.perception.MobileNetFeatureNetwork;
import java.io.IOException;

/** Builds the loop of a training phase with its data and networks (runs on the engine thread). */
public final class TrainingLoops {

    private TrainingLoops() {}

    /**
     * Creates the loop for a configuration.
     *
     * @param config the configuration
     * @param device where to train
     * @param listener receives data problems as events
     * @return the loop; the caller closes it
     * @throws IOException when the data or a network cannot be loaded
     */
    public static TrainingLoop create(TrainingConfig config, Device device, TrainingListener listener) throws IOException {
        TrainingData.Builder b = TrainingData.builder().setPhotos(config.photos()).setImageSize(config.imageSize())
                .setBatchSize(config.batchSize()).optSeed(config.seed())
                .optListener(new TrainingData.Listener() {
                    @Override
                    public void skipped(io.github.facetoon.engine.data.FileProblem p) {
                        listener.onEvent(new TrainingEvent.DataProblem(0, p.file(), p.reason()));
                    }
                });
        if (config.phase() == TrainingConfig.Phase.TRAIN) {
            b.optCartoons(config.cartoons());
        }
        TrainingData data = b.build();
        try {
            if (config.phase() == TrainingConfig.Phase.PRETRAIN) {
                return new PretrainLoop(config, device, data);
            }
            FeatureNetwork features = MobileNetFeatureNetwork.openDefault(device);
            return new CartoonTrainingLoop(config, device, data, features);
        } catch (RuntimeException | IOException e) {
            data.close();
            throw e;
        }
    }
}
