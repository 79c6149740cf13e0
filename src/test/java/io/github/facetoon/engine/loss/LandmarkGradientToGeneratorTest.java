package io.github.facetoon.engine.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.infer.InferenceSize;
import io.github.facetoon.engine.model.CartoonNetworks;
import io.github.facetoon.engine.perception.FaceLandmarkNet;
import io.github.facetoon.engine.vision.ImageTensors;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** The landmark term reaches the real generator: its first convolution gets a non-zero gradient. */
class LandmarkGradientToGeneratorTest {

    @Test
    void landmarkLossGradientReachesTheGeneratorsFirstLayer() throws Exception {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        Mat face;
        try (InputStream in = getClass().getResourceAsStream("/faces/astronaut.png")) {
            Mat whole = Imgcodecs.imdecode(new MatOfByte(in.readAllBytes()), Imgcodecs.IMREAD_COLOR);
            face = InferenceSize.centreSquare(new Mat(whole, new Rect(140, 30, 170, 170)), 64);
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             CartoonNetworks nets = CartoonNetworks.create(m, 3);
             FaceLandmarkNet net = FaceLandmarkNet.load(Device.cpu())) {
            NDArray photo = m.create(ImageTensors.bgrToChw(face), new Shape(1, 3, 64, 64));
            ParameterStore ps = new ParameterStore(m, false);
            LandmarkLoss loss = new LandmarkLoss(net);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray fake = nets.generator().forward(ps, new NDList(photo), true).singletonOrThrow();
                NDArray l = loss.compute(fake, photo, null);
                assertTrue(l.getFloat() > 0, "a random generator's output does not match the photo's landmarks");
                gc.backward(l);
            }
            Parameter first = nets.generator().getChildren().get("01inConv").getParameters().get("weight");
            float g = first.getArray().getGradient().abs().sum().getFloat();
            assertTrue(g > 0 && Float.isFinite(g), "gradient at the generator's first layer: " + g);
        }
    }
}
