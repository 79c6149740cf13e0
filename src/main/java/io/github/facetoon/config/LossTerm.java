package io.github.facetoon.config;

/**
 * The six weighted terms of the generator's objective, in the original project's flag order ({@code --w0} to
 * {@code --w5}): what each is called in logs, events, checkpoint headers, preferences and the studio's texts, its
 * default weight and the range its slider covers. Code addresses a term by this enum, never by a number or a string.
 *
 * <p>{@code L_G = w0·TV + w1·surface + w2·texture + w3·content + w4·structure + w5·landmark} (White-box, CVPR 2020,
 * eq. 6, with the landmark term of the original FacialCartoonization project); the sum itself is
 * {@code engine.loss.CartoonObjective}.
 */
public enum LossTerm {
    /** Total variation of the output: flat regions stay clean. */
    TV("tv", "Total-variation weight", LossWeights.DEFAULT_TV, 1e2, 1e6),
    /** The surface discriminator on the edge-preserving blur of the output. */
    SURFACE("surface", "Surface (guided-filter) GAN weight", LossWeights.DEFAULT_SURFACE, 1e-3, 1e2),
    /** The texture discriminator on the colour-shifted grey output. */
    TEXTURE("texture", "Texture (colour-shift grey) GAN weight", LossWeights.DEFAULT_TEXTURE, 1e-2, 1e3),
    /** Feature distance to the content target (the photo, or its cartoon rendering). */
    CONTENT("content", "Content weight", LossWeights.DEFAULT_CONTENT, 1e-1, 1e4),
    /** Feature distance to the output's flat superpixel image. */
    STRUCTURE("structure", "Structure (superpixel) weight", LossWeights.DEFAULT_STRUCTURE, 1e-2, 1e4),
    /** Distance of the output's face landmarks to the photo's. */
    LANDMARK("landmark", "Landmark weight", LossWeights.DEFAULT_LANDMARK, 1e-1, 1e4);

    /** The events' key of the weighted sum of a training step's generator terms. */
    public static final String TOTAL_KEY = "g_total";
    /** The events' key of the surface discriminator's loss. */
    public static final String SURFACE_DISCRIMINATOR_KEY = "d_surface";
    /** The events' key of the texture discriminator's loss. */
    public static final String TEXTURE_DISCRIMINATOR_KEY = "d_texture";
    /** The events' key of pretraining's only term, the pixel L1 to the target. */
    public static final String PRETRAIN_KEY = "l1";

    private final String key;
    private final String helpName;
    private final double defaultWeight;
    private final double sliderMin;
    private final double sliderMax;

    LossTerm(String key, String helpName, double defaultWeight, double sliderMin, double sliderMax) {
        this.key = key;
        this.helpName = helpName;
        this.defaultWeight = defaultWeight;
        this.sliderMin = sliderMin;
        this.sliderMax = sliderMax;
    }

    /** @return the short name in logs, events, JSON, preferences and text keys ({@code tv} … {@code landmark}) */
    public String key() {
        return key;
    }

    /** @return the command-line flag, {@code --w0} to {@code --w5} (the original project's) */
    public String flag() {
        return "--w" + ordinal();
    }

    /** @return what the flag's help calls it */
    public String helpName() {
        return helpName;
    }

    /** @return the default weight (White-box's original code; landmark ours) */
    public double defaultWeight() {
        return defaultWeight;
    }

    /** @return the smallest non-zero weight the studio's logarithmic slider reaches */
    public double sliderMin() {
        return sliderMin;
    }

    /** @return the largest weight the studio's slider reaches (larger ones can be typed) */
    public double sliderMax() {
        return sliderMax;
    }

    /** @return the key of the term's name in the studio's texts ({@code weight.tv}; its tooltip adds {@code .tip}) */
    public String textKey() {
        return "weight." + key;
    }
}
