package io.github.facetoon.engine.train;

import ai.djl.Device;
import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.data.TrainingData;
import io.github.facetoon.engine.perception.FaceCrop;
import io.github.facetoon.engine.perception.FaceDetector;
import io.github.facetoon.engine.perception.FaceLandmarkNet;
import io.github.facetoon.engine.perception.FeatureNetwork;
import io.github.facetoon.engine.perception.FeatureNetworks;
import java.io.IOException;
import java.util.List;
import org.opencv.core.Rect;

/** Builds the loop of a training phase with its data and networks (runs on the engine thread). */
public final class TrainingLoops {

    /**
     * Margin added on each side of a detected face when training photos are cropped, as a fraction of the face
     * box: the crop is 1.5× the box, so hair and chin stay in the picture.
     */
    public static final double FACE_MARGIN = 0.25;

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
        TrainingData data;
        // Photos are cropped around the face (the largest one) when one is found, else used whole.
        try (FaceDetector detector = FaceDetector.create()) {
            b.optFaceCrop(bgr -> {
                List<FaceCrop> faces = detector.detect(bgr);
                if (faces.isEmpty()) {
                    return null;
                }
                FaceCrop f = faces.get(0).toPixels();
                return new Rect((int) f.x(), (int) f.y(), (int) f.size(), (int) f.size());
            }, FACE_MARGIN);
            data = b.build();
        }
        FeatureNetwork features = null;
        try {
            if (config.phase() == TrainingConfig.Phase.PRETRAIN) {
                return new PretrainLoop(config, device, data);
            }
            features = FeatureNetworks.open(config.contentNet(), device);
            return new CartoonTrainingLoop(config, device, data, features, FaceLandmarkNet.load(device));
        } catch (RuntimeException | IOException e) {
            data.close();
            if (features != null) {
                features.close();
            }
            throw e;
        }
    }
}
