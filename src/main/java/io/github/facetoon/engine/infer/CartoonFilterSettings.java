package io.github.facetoon.engine.infer;

/**
 * Tuning of the {@link ClassicCartoonFilter}.
 *
 * @param workSize longest side, in pixels, at which the smoothing, palette and lines are computed
 * @param colours number of lightness tones, or 0 for no cel shading (smooth colour, no tone bands)
 * @param smoothingPasses bilateral passes
 * @param lineStrength opacity of the outlines, 0 (none) to 1
 * @param lineSigma the inner Gaussian of the outlines' difference of Gaussians, in units of the working image
 *     (its longest side / 512)
 * @param inkFrom the difference, in grey levels, at which the ink starts
 * @param inkRamp the grey levels over which it grows to full ink
 * @param linesOnColour outlines from the smoothed colour layer (only the edges of its regions: clean strokes
 *     along face, eyes, mouth and hair, none in flat areas) instead of the smoothed photo
 * @param contrast the colour layer's lightness (Lab L) spread about the image's mean is multiplied by this: 1
 *     keeps the photo's tones, more gives paler skin against darker hair, as hand-drawn cartoons have
 * @param spareDark no ink is added where the colour layer is already dark (fading in from grey level
 *     {@value ClassicCartoonFilter#SPARE_DARK_FROM} to {@value ClassicCartoonFilter#SPARE_DARK_TO}): dark hair,
 *     nostrils and shadows otherwise turn into black blotches
 */
public record CartoonFilterSettings(int workSize, int colours, int smoothingPasses, double lineStrength,
                                    double lineSigma, double inkFrom, double inkRamp, boolean linesOnColour,
                                    double contrast, boolean spareDark) {

    /** Validates the ranges. */
    public CartoonFilterSettings {
        if (workSize < ClassicCartoonFilter.MIN_SIDE || colours < 0 || colours == 1 || colours > 64
                || smoothingPasses < 0
                || !(lineStrength >= 0 && lineStrength <= 1) || !(lineSigma > 0 && lineSigma <= 16)
                || !(inkFrom >= 0 && inkFrom <= 255) || !(inkRamp > 0 && inkRamp <= 255)
                || !(contrast > 0 && contrast <= 4)) {
            throw new IllegalArgumentException("bad classic filter settings: " + workSize + ", " + colours
                    + ", " + smoothingPasses + ", " + lineStrength + ", " + lineSigma + ", " + inkFrom + ", "
                    + inkRamp + ", " + contrast);
        }
    }

    /**
     * Settings with the classic outlines (σ 1 unit, ink from 2 to 6 grey levels, from the smoothed photo).
     *
     * @param workSize longest working side
     * @param colours tones (0: none)
     * @param smoothingPasses bilateral passes
     * @param lineStrength outline opacity
     */
    public CartoonFilterSettings(int workSize, int colours, int smoothingPasses, double lineStrength) {
        this(workSize, colours, smoothingPasses, lineStrength, 1.0, 2, 4, false, 1.0, false);
    }

    /** Returns the defaults chosen by looking at portraits. */
    public static CartoonFilterSettings defaults() {
        return new CartoonFilterSettings(800, 8, 4, 0.9);
    }

    /**
     * The warm-start look that pretraining with the cartoon target teaches the generator
     * ({@code pretrain --target cartoon}): no tone bands (they draw blotches and stray lines across cheeks),
     * twelve bilateral passes for flat skin, and full-strength outlines along the edges of the smoothed colour.
     * Chosen on held-out faces at a 128-px model's working scale (docs/model-training.md): against the photo it
     * reaches a change without colour cast of 0.045, flat share +0.12 and ink +0.008 with the palette at 0.88,
     * where the tone-banded defaults reach 0.026 / +0.14 / +0.004.
     *
     * @return the settings
     */
    public static CartoonFilterSettings warmStart() {
        return new CartoonFilterSettings(4096, 0, 12, 1.0, 2.5, 1, 1, true, 1.0, false);
    }

    /**
     * The inked look ({@code pretrain --target inked}, {@code train --target inked}): the warm start's flat colour
     * with its lightness contrast raised by 1.3 (pale skin, dark hair), thinner outlines (σ 1.5 units instead of
     * 2.5), and no ink added on regions that are already dark (against black blotches in hair and nostrils).
     * Chosen on the held-out faces at a 128-px model's working scale (docs/model-training.md, 2026-12-07): a
     * change without colour cast of 0.055, ink +0.011, flat share +0.13, palette 1.0, landmark error 0.037 with
     * every face still found, where the warm start reaches 0.045 / +0.010 / +0.10 / 0.89 / 0.040 and loses one.
     *
     * @return the settings
     */
    public static CartoonFilterSettings inked() {
        return new CartoonFilterSettings(4096, 0, 12, 1.0, 1.5, 1, 1, true, 1.3, true);
    }
}
