package io.github.facetoon.engine.train;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.infer.CartoonFilterSettings;
import io.github.facetoon.engine.infer.ClassicCartoonFilter;
import io.github.facetoon.engine.model.ModelScale;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import org.opencv.core.Mat;

/**
 * The target of a stylised warm start ({@code pretrain --target cartoon|inked}): each training photo rendered by the
 * cartoon filter's {@linkplain CartoonFilterSettings#warmStart() warm-start} or
 * {@linkplain CartoonFilterSettings#inked() inked} settings, with its filter sizes
 * set for the face size of a model trained at this crop size, so that the strokes the generator learns at 128 px are
 * the ones a face gets at the working scale of inference ({@link ModelScale}). Deterministic: the same photo gives
 * the same target. Thread-safe.
 */
final class CartoonTarget {

    /**
     * The filter unit per pixel of inter-ocular distance: on the held-out faces the settings were chosen on, the
     * working images of a 128-px model were 207 px on a side (unit 207 / 512 = 0.404) with faces of 55 px.
     */
    static final double UNIT_PER_IOD = 0.404 / 55.0;

    private final ClassicCartoonFilter filter;
    private final int size;
    private final double unit;

    private CartoonTarget(CartoonFilterSettings settings, int size) {
        OpenCvRuntime.ensureLoaded();
        this.filter = new ClassicCartoonFilter(settings);
        this.size = size;
        this.unit = ModelScale.defaultFor(size).faceIod() * UNIT_PER_IOD;
    }

    /**
     * The renderer of a training target.
     *
     * @param target the target
     * @param size the training crop side
     * @return its renderer, or null for {@link TrainingConfig.Target#PHOTO} (the photo is its own target)
     */
    static CartoonTarget of(TrainingConfig.Target target, int size) {
        if (target == TrainingConfig.Target.CARTOON) {
            return new CartoonTarget(CartoonFilterSettings.warmStart(), size);
        }
        if (target == TrainingConfig.Target.INKED) {
            return new CartoonTarget(CartoonFilterSettings.inked(), size);
        }
        return null;
    }

    /**
     * Renders a batch.
     *
     * @param photos CHW RGB photos in [-1,1], {@code size}² each
     * @return their targets, the same layout
     */
    float[][] render(float[][] photos) {
        float[][] out = new float[photos.length][];
        for (int i = 0; i < photos.length; i++) {
            Mat bgr = ImageTensors.chwToBgr(photos[i], size, size);
            Mat toon = null;
            try {
                toon = filter.apply(bgr, unit);
                out[i] = ImageTensors.bgrToChw(toon);
            } finally {
                bgr.release();
                if (toon != null) {
                    toon.release();
                }
            }
        }
        return out;
    }
}
