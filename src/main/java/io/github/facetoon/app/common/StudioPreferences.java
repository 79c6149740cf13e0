package io.github.facetoon.app.common;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.config.LossWeights;
import java.nio.file.Path;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the studio remembers between runs (window, folders, weights, theme, language), in {@code java.util.prefs}.
 * Bad stored values are ignored, never fatal.
 */
public final class StudioPreferences {

    private final Preferences node;

    /**
     * Uses a preferences node.
     *
     * @param node the node (tests pass a throw-away one)
     */
    public StudioPreferences(Preferences node) {
        this.node = node;
    }

    /** The user's studio preferences. */
    public static StudioPreferences user() {
        return new StudioPreferences(Preferences.userRoot().node("io/github/facetoon/studio"));
    }

    /**
     * Reads a folder.
     *
     * @param key the key, e.g. "photos"
     * @return the folder, if one was stored
     */
    public Optional<Path> folder(String key) {
        String v = node.get("folder." + key, null);
        try {
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores a folder.
     *
     * @param key the key
     * @param folder the folder, or null to forget it
     */
    public void setFolder(String key, Path folder) {
        if (folder == null) {
            node.remove("folder." + key);
        } else {
            node.put("folder." + key, folder.toAbsolutePath().toString());
        }
    }

    /**
     * Reads a number.
     *
     * @param key the key
     * @param fallback the value when none is stored
     * @return the value
     */
    public double number(String key, double fallback) {
        return node.getDouble(key, fallback);
    }

    /**
     * Stores a number.
     *
     * @param key the key
     * @param value the value
     */
    public void setNumber(String key, double value) {
        node.putDouble(key, value);
    }

    /**
     * Reads a text.
     *
     * @param key the key
     * @param fallback the value when none is stored
     * @return the value
     */
    public String text(String key, String fallback) {
        return node.get(key, fallback);
    }

    /**
     * Stores a text.
     *
     * @param key the key
     * @param value the value
     */
    public void setText(String key, String value) {
        node.put(key, value);
    }

    /**
     * Reads a flag.
     *
     * @param key the key
     * @param fallback the value when none is stored
     * @return the value
     */
    public boolean flag(String key, boolean fallback) {
        return node.getBoolean(key, fallback);
    }

    /**
     * Stores a flag.
     *
     * @param key the key
     * @param value the value
     */
    public void setFlag(String key, boolean value) {
        node.putBoolean(key, value);
    }

    /** The stored loss weights, or the defaults. */
    public LossWeights weights() {
        double[] a = LossWeights.defaults().toArray();
        for (LossTerm t : LossTerm.values()) {
            a[t.ordinal()] = node.getDouble(t.textKey(), a[t.ordinal()]);
        }
        try {
            return LossWeights.fromArray(a);
        } catch (IllegalArgumentException e) {
            return LossWeights.defaults();
        }
    }

    /**
     * Stores the loss weights.
     *
     * @param weights the weights
     */
    public void setWeights(LossWeights weights) {
        for (LossTerm t : LossTerm.values()) {
            node.putDouble(t.textKey(), weights.get(t));
        }
    }

    /** Writes pending changes to the backing store; failures are ignored (preferences are a convenience). */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // not worth bothering the user
        }
    }
}
