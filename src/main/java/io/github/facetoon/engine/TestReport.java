package io.github.facetoon.engine;

import io.github.facetoon.engine.vision.PixelImage;
import java.util.List;

/**
 * The result of the {@code test} command: cartoons of test photos and their metrics.
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
     * One test photo.
     *
     * @param name the file name
     * @param photo the photo as used
     * @param cartoon its cartoon
     * @param l1 mean absolute difference
     * @param landmarkNme landmark error, NaN when no face was found
     */
    public record Item(String name, PixelImage photo, PixelImage cartoon, double l1, double landmarkNme) {}
}
