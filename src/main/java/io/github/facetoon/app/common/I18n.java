package io.github.facetoon.app.common;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The studio's texts, from the {@code studio} resource bundle (English and Simplified Chinese).
 *
 * <p>The bundle follows the system locale unless the user picked a language; a missing key shows the key
 * itself, so a forgotten translation is visible but never fatal.
 */
public final class I18n {

    /** Languages offered by the switch. */
    public static final Locale[] LANGUAGES = {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE};

    private static final String BUNDLE = "io.github.facetoon.app.i18n.studio";
    private final ResourceBundle bundle;
    private final Locale locale;

    /**
     * Loads the texts for a locale.
     *
     * @param locale the locale; Chinese locales get the Simplified Chinese texts, all others English
     */
    public I18n(Locale locale) {
        this.locale = "zh".equals(locale.getLanguage()) ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
        this.bundle = ResourceBundle.getBundle(BUNDLE, this.locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** English texts, for tests and as the fallback. */
    public static I18n english() {
        return new I18n(Locale.ENGLISH);
    }

    /** The locale of these texts. */
    public Locale locale() {
        return locale;
    }

    /**
     * Returns a text, formatted with {@link MessageFormat} when arguments are given.
     *
     * @param key the key
     * @param args arguments for {@code {0}}, {@code {1}}, ...
     * @return the text
     */
    public String tr(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }
}
