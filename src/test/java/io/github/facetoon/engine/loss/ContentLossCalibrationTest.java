package io.github.facetoon.engine.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.NoGrad;
import io.github.facetoon.engine.infer.InferenceSize;
import io.github.facetoon.engine.perception.FeatureNetwork;
import io.github.facetoon.engine.perception.FeatureNetworks;
import io.github.facetoon.engine.representation.StructureRepresentation;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.InputStream;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The calibration behind {@link ContentLoss#SCALE}: the relative structure distance of real photos to their
 * own superpixel images, with the bundled feature network, at 128 and 256 px. It must stay near
 * {@link ContentLoss#TYPICAL_STRUCTURE_DISTANCE} so the original weights remain balanced.
 */
class ContentLossCalibrationTest {

    @Test
    void structureDistanceOfRealPhotosIsNearTheCalibratedValue() throws Exception {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             FeatureNetwork f = FeatureNetworks.open(null, Device.cpu());
             NoGrad ng = NoGrad.enter()) {
            for (int size : new int[] {128, 256}) {
                for (String name : new String[] {"astronaut.png", "camera.png"}) {
                    Mat img;
                    try (InputStream in = getClass().getResourceAsStream("/assets/samples/" + name)) {
                        img = Imgcodecs.imdecode(new MatOfByte(in.readAllBytes()), Imgcodecs.IMREAD_COLOR);
                    }
                    Mat sq = InferenceSize.centreSquare(img, size);
                    float[] chw = ImageTensors.bgrToChw(sq);
                    float[] sp = StructureRepresentation.superpixelize(chw, size, size);
                    NDArray photo = m.create(chw, new Shape(1, 3, size, size));
                    NDArray superpixel = m.create(sp, new Shape(1, 3, size, size));
                    NDArray fp = f.features(photo);
                    double raw = fp.sub(f.features(superpixel)).abs().mean()
                            .div(ContentLoss.normaliser(fp)).getFloat();
                    System.out.printf(Locale.ROOT, "calibration %s %d px: relative structure distance %.3f, "
                            + "weighted at 200: %.3f%n", name, size, raw, 200 * ContentLoss.SCALE * raw);
                    assertTrue(raw > ContentLoss.TYPICAL_STRUCTURE_DISTANCE / 2.5
                            && raw < ContentLoss.TYPICAL_STRUCTURE_DISTANCE * 2.5, name + " " + size + ": " + raw);
                }
            }
        }
    }
}
