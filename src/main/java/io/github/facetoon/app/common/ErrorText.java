package io.github.facetoon.app.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception from the engine or the file system into one clear sentence for the user. */
public final class ErrorText {

    private ErrorText() {}

    /**
     * Describes a failure.
     *
     * @param error the exception (wrappers such as {@link CompletionException} are unwrapped)
     * @param i18n the texts
     * @return a message for the user
     */
    public static String describe(Throwable error, I18n i18n) {
        Throwable e = unwrap(error);
        if (e instanceof OutOfMemoryError || mentions(e, "out of memory")) {
            return i18n.tr("error.oom");
        }
        if (e instanceof NoSuchFileException) {
            return i18n.tr("error.noFile", e.getMessage());
        }
        if (e instanceof AccessDeniedException) {
            return i18n.tr("error.denied", e.getMessage());
        }
        if (e instanceof UnsupportedOperationException) {
            return i18n.tr("error.notReady", String.valueOf(e.getMessage()));
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (e instanceof IOException) {
            return i18n.tr("error.io", message);
        }
        return message;
    }

    /**
     * Removes wrapper exceptions.
     *
     * @param error the exception
     * @return its cause when it only wraps one
     */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e instanceof UncheckedIOException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
