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
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Rect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the loop of a training phase with its data and networks (runs on the engine thread). */
public final class TrainingLoops {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoops.class);

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
        return create(config, List.of(device), listener);
    }

    /**
     * Creates the loop for a configuration on one or more devices. With several, the full training is
     * data-parallel: each device takes an equal share of every batch (see {@link DataParallel}); pretraining runs on
     * the first device.
     *
     * @param config the configuration
     * @param devices where to train, at least one
     * @param listener receives data problems as events
     * @return the loop; the caller closes it
     * @throws IOException when the data or a network cannot be loaded
     */
    public static TrainingLoop create(TrainingConfig config, List<Device> devices, TrainingListener listener)
            throws IOException {
        Device device = devices.get(0);
        TrainingData.Builder b = TrainingData.builder().setPhotos(config.photos()).setImageSize(config.imageSize())
                .setBatchSize(config.batchSize()).optSeed(config.seed()).optFaceShare(config.faceShare())
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
        listener.onEvent(new TrainingEvent.Preparing(0, TrainingEvent.Stage.READING_DATA));
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
        if (config.faceShare() > 0) {
            int faces = data.facePhotoCount();
            int all = data.photoFiles().size();
            listener.onEvent(new TrainingEvent.Notice(0, faces > 0 && faces < all
                    ? String.format(java.util.Locale.ROOT, "a face was found in %d of %d photos; %.0f%% of each batch "
                        + "is drawn from them", faces, all, 100 * config.faceShare())
                    : "the face share has no effect: a face was found in " + faces + " of " + all + " photos"));
        }
        listener.onEvent(new TrainingEvent.Preparing(0, TrainingEvent.Stage.LOADING_NETWORKS));
        List<CartoonReplica> replicas = new ArrayList<>();
        try {
            if (config.phase() == TrainingConfig.Phase.PRETRAIN) {
                if (devices.size() > 1) {
                    LOG.info("pretraining runs on one device, {}; data parallelism is for the full training", device);
                }
                return new PretrainLoop(config, device, data);
            }
            if (devices.size() > 1) {
                LOG.info("data-parallel training on {}: each takes an equal share of every batch of {}", devices,
                        config.batchSize());
            }
            for (Device d : devices) {
                FeatureNetwork features = FeatureNetworks.open(config.contentNet(), d);
                FeatureNetwork structureFeatures = null;
                try {
                    structureFeatures = config.structureNet() == null ? features
                            : FeatureNetworks.open(config.structureNet(), d);
                    replicas.add(new CartoonReplica(d, config.seed(), config.imageSize(), features, structureFeatures,
                            FaceLandmarkNet.load(d)));
                } catch (RuntimeException | IOException e) {
                    features.close();
                    if (structureFeatures != null && structureFeatures != features) {
                        structureFeatures.close();
                    }
                    throw e;
                }
            }
            return new CartoonTrainingLoop(config, replicas, data);
        } catch (RuntimeException | IOException e) {
            data.close();
            for (CartoonReplica r : replicas) {
                r.close();
            }
            throw e;
        }
    }
}
