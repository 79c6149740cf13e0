package io.github.facetoon.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.facetoon.engine.infer.CartoonPipeline;
import io.github.facetoon.engine.infer.Cartoonizer;
import io.github.facetoon.engine.infer.ClassicCartoonFilter;
import io.github.facetoon.engine.infer.GuidedUpsampler;
import io.github.facetoon.engine.model.ModelScale;
import io.github.facetoon.engine.vision.ImageTensors;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models an engine has loaded, one per choice, loaded on first use and kept until the engine closes: the bundled
 * model, model and checkpoint files, and the classic filter behind the same interface.
 */
final class LoadedModels implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);

    private final Device device;
    private final Map<ModelChoice, Model> models = new HashMap<>();

    /** @param device where the networks run */
    LoadedModels(Device device) {
        this.device = device;
    }

    /** A loaded way of turning a photo into a cartoon. */
    interface Model extends CartoonPipeline.WorkingModel, AutoCloseable {
        String label();

        /** A cartoon of a prepared photo (sides multiples of 8) at strength 1, the test command's path. */
        Mat apply(Mat bgr);

        /** How a strength other than 1 is applied, for the result's note. */
        String strengthNote();

        @Override
        void close();
    }

    private static Model of(Cartoonizer c) {
        return new Model() {
            @Override
            public String label() {
                return c.label();
            }

            @Override
            public Mat apply(Mat bgr) {
                return c.cartoonize(bgr);
            }

            @Override
            public float[][] fit(Mat working, double strength) {
                return c.fit(working, strength);
            }

            @Override
            public ModelScale scale() {
                return c.scale();
            }

            @Override
            public String strengthNote() {
                return c.strengthByInterpolation() ? ""
                        : "this model has no base generator: the strength blends the cartoon with the photo";
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    private static Model classic(String label) {
        ClassicCartoonFilter f = new ClassicCartoonFilter();
        return new Model() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public Mat apply(Mat bgr) {
                return f.apply(bgr);
            }

            @Override
            public float[][] fit(Mat working, double strength) {
                Mat cartoon = f.apply(working);
                try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    float[][] ab = GuidedUpsampler.fit(m, ImageTensors.bgrToChw(working), ImageTensors.bgrToChw(cartoon),
                            working.rows(), working.cols());
                    return GuidedUpsampler.blendWithPhoto(ab, strength);
                } finally {
                    cartoon.release();
                }
            }

            @Override
            public ModelScale scale() {
                // The filter has no trained scale; its settings were tuned on photos of about 512 px.
                return ModelScale.defaultFor(256);
            }

            @Override
            public String strengthNote() {
                return "the strength blends the filter's cartoon with the photo";
            }

            @Override
            public void close() {
                // nothing native held
            }
        };
    }

    /**
     * Returns the loaded model for a choice, loading it on first use. The bundled model falls back to the classic
     * filter when it cannot be loaded, so a photo always gets a cartoon; a chosen checkpoint that fails is an error.
     */
    Model get(ModelChoice choice) throws IOException {
        synchronized (models) {
            Model c = models.get(choice);
            if (c == null) {
                if (choice instanceof ModelChoice.Checkpoint cp) {
                    c = of(Cartoonizer.fromCheckpoint(cp.path(), device));
                } else if (choice instanceof ModelChoice.Bundled) {
                    try {
                        c = of(Cartoonizer.bundled(device));
                    } catch (IOException e) {
                        LOG.warn("bundled model unavailable, using the classic filter: {}", e.getMessage());
                        c = classic(new ModelChoice.Classic().label() + " — the bundled model could not be loaded: "
                                + e.getMessage());
                    }
                } else {
                    c = classic(choice.label());
                }
                models.put(choice, c);
            }
            return c;
        }
    }

    /** Closes every loaded model. */
    @Override
    public void close() {
        synchronized (models) {
            models.values().forEach(Model::close);
            models.clear();
        }
    }
}
