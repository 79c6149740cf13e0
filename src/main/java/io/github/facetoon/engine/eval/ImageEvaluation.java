package io.github.facetoon.engine.eval;

import java.util.Objects;

/**
 * One photo's row of an evaluation: its cartoon figures and what the landmark detector makes of it.
 *
 * @param name the photo's file name
 * @param score the cartoon figures
 * @param landmarkNme mean landmark distance between photo and cartoon over the 68 points, divided by the
 *     photo's inter-ocular distance; NaN when no face was found on the photo
 * @param facePhoto whether a face was found on the photo
 * @param faceCartoon whether a face was found on the cartoon
 */
public record ImageEvaluation(String name, CartoonScore score, double landmarkNme, boolean facePhoto,
                              boolean faceCartoon) {

    /** Checks the name and score are present. */
    public ImageEvaluation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(score, "score");
    }

    /**
     * Whether the face survived cartoonization.
     *
     * @return a face was found on the photo and is still found on the cartoon
     */
    public boolean faceKept() {
        return facePhoto && faceCartoon;
    }
}
