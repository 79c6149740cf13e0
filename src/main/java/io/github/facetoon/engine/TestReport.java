package io.github.facetoon.engine;

import io.github.facetoon.engine.eval.CartoonScore;
import io.github.facetoon.engine.eval.Medians;
import io.github.facetoon.engine.vision.PixelImage;
import java.util.List;
import java.util.Objects;

/**
 * The result of the {@code test} command: cartoons of test photos and their metrics (L1, landmark NME and the
 * cartoon figures of {@link CartoonScore}, defined in {@code docs/evaluation.md}).
 *
 * @param model the model's label
 * @param items one entry per photo
 * @param meanL1 mean absolute difference between photo and cartoon, in [0,2] units (the seed's "Test loss")
 * @param meanLandmarkNme mean landmark error between photo and cartoon, normalised by inter-ocular distance,
 *     over the photos where a face was found (NaN when none)
 * @param facesFound photos where a face was found
 */
public record TestReport(String model, List<Item> items, double meanL1, double meanLandmarkNme, int facesFound) {

    /** Copies the list. */
    public TestReport {
        items = List.copyOf(items);
    }

    /**
     * The median of each cartoon figure over the photos, each figure on its own.
     *
     * @return the medians (all NaN for no photos)
     */
    public CartoonScore medianScore() {
        return CartoonScore.medianOf(items.stream().map(Item::score).toList());
    }

    /**
     * The median of the photos' flat gains.
     *
     * @return the median, NaN for no photos
     */
    public double medianFlatGain() {
        return Medians.of(items, it -> it.score().flatGain());
    }

    /**
     * The median of the photos' ink gains.
     *
     * @return the median, NaN for no photos
     */
    public double medianInkGain() {
        return Medians.of(items, it -> it.score().inkGain());
    }

    /**
     * One test photo.
     *
     * @param name the file name
     * @param photo the photo as used
     * @param cartoon its cartoon
     * @param l1 mean absolute difference
     * @param landmarkNme landmark error, NaN when no face was found
     * @param score the cartoon figures of the cartoon against the photo
     */
    public record Item(String name, PixelImage photo, PixelImage cartoon, double l1, double landmarkNme,
                       CartoonScore score) {

        /** Checks the score is present. */
        public Item {
            Objects.requireNonNull(score, "score");
        }
    }
}
