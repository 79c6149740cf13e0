package io.github.facetoon.cli;

/** Turns exceptions into the one-line messages the command line prints. */
final class CliErrors {

    private CliErrors() {}

    /**
     * Describes an exception for a user: its message, or its type when it has none.
     *
     * @param ex the exception
     * @return one line
     */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
