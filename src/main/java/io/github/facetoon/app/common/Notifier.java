package io.github.facetoon.app.common;

/**
 * Where ViewModels report what the user should see: a short notice or an error. The app shows them as
 * notifications and in the status bar and writes them to the log; tests record them.
 */
public interface Notifier {

    /**
     * Reports something that went well or is worth knowing.
     *
     * @param message the text, already translated
     */
    void info(String message);

    /**
     * Reports an error the user should read; the studio keeps running.
     *
     * @param title what failed, e.g. "Could not cartoonize"
     * @param message why, and what to try
     */
    void error(String title, String message);

    /** A notifier that ignores everything. */
    static Notifier silent() {
        return new Notifier() {
            @Override
            public void info(String message) {
                // ignored
            }

            @Override
            public void error(String title, String message) {
                // ignored
            }
        };
    }
}
