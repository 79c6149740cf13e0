// Prints every face the app's own detector (Haar cascade + 68-point landmark net, plausibility filter) finds
// in each image given: file, index, detector box (cx cy size), landmark extent (minX minY maxX maxY), jaw width.
// Run: java -cp 'app/facetoon.jar:app/lib/*' tools/FindFaces.java IMAGE...
import io.github.facetoon.engine.EngineRuntime;
import io.github.facetoon.engine.perception.FaceLandmarks;
import io.github.facetoon.engine.perception.LandmarkDetector;
import io.github.facetoon.engine.vision.OpenCvRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

public class FindFaces {
    public static void main(String[] args) throws Exception {
        EngineRuntime.ensureConfigured();
        OpenCvRuntime.ensureLoaded();
        try (LandmarkDetector det = LandmarkDetector.create()) {
            for (String a : args) {
                Mat bgr = Imgcodecs.imread(a, Imgcodecs.IMREAD_COLOR);
                // The whole photo first, then overlapping square tiles (2/3 of the short side, stride 1/3): the
                // detector's smallest face is a tenth of the image's short side, and its profile cascade only runs
                // when no frontal face is found, so tiles find faces the whole-photo pass misses. A face whose
                // centre lies within half a face of one already found is a duplicate.
                List<FaceLandmarks> faces = new java.util.ArrayList<>(det.detectAll(bgr));
                int side = Math.min(bgr.rows(), bgr.cols()) * 2 / 3, step = Math.min(bgr.rows(), bgr.cols()) / 3;
                for (int ty = 0; ty + side <= bgr.rows(); ty += step) {
                    for (int tx = 0; ; tx = Math.min(tx + step, bgr.cols() - side)) {
                        Mat tile = new Mat(bgr, new org.opencv.core.Rect(tx, ty, side, side)).clone();
                        for (FaceLandmarks t : det.detectAll(tile)) {
                            double[] q = t.points().clone();
                            for (int k = 0; k < q.length; k += 2) { q[k] += tx; q[k + 1] += ty; }
                            io.github.facetoon.engine.perception.FaceCrop d = t.detection();
                            FaceLandmarks m = new FaceLandmarks(q,
                                    io.github.facetoon.engine.perception.FaceCrop.centered(d.centerX() + tx, d.centerY() + ty, d.size()),
                                    io.github.facetoon.engine.perception.FaceCrop.centered(t.crop().centerX() + tx, t.crop().centerY() + ty, t.crop().size()));
                            boolean dup = false;
                            for (FaceLandmarks f : faces) {
                                dup |= Math.hypot(f.detection().centerX() - m.detection().centerX(),
                                        f.detection().centerY() - m.detection().centerY()) < 0.5 * Math.max(f.detection().size(), m.detection().size());
                            }
                            if (!dup) faces.add(m);
                        }
                        tile.release();
                        if (tx == bgr.cols() - side) break;
                    }
                }
                int i = 0;
                for (FaceLandmarks lm : faces) {
                    double[] p = lm.points();
                    double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
                    for (int k = 0; k < p.length; k += 2) {
                        minX = Math.min(minX, p[k]); maxX = Math.max(maxX, p[k]);
                        minY = Math.min(minY, p[k + 1]); maxY = Math.max(maxY, p[k + 1]);
                    }
                    double jaw = Math.hypot(p[32] - p[0], p[33] - p[1]); // points 16 and 0
                    System.out.printf(Locale.ROOT, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.4f%n",
                            Path.of(a).getFileName(), i++, lm.detection().centerX(), lm.detection().centerY(),
                            lm.detection().size(), minX, minY, maxX, maxY, jaw, lm.interOcularDistance());
                }
                bgr.release();
            }
        }
    }
}
