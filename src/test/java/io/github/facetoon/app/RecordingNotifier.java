package io.github.facetoon.app;

import io.github.facetoon.app.common.Notifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what ViewModels tell the user. */
public final class RecordingNotifier implements Notifier {

    /** Info messages. */
    public final List<String> infos = new CopyOnWriteArrayList<>();
    /** Errors as "title: message". */
    public final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void error(String title, String message) {
        errors.add(title + ": " + message);
    }
}
