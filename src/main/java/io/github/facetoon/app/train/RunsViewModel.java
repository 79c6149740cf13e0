package io.github.facetoon.app.train;

import io.github.facetoon.app.common.ErrorText;
import io.github.facetoon.app.common.I18n;
import io.github.facetoon.app.common.Notifier;
import io.github.facetoon.engine.StudioEngine;
import io.github.facetoon.engine.train.RunLibrary;
import io.github.facetoon.engine.train.RunLibrary.RunSummary;
import io.github.facetoon.engine.train.RunLibrary.TrashedRun;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The workspace's runs and trash for the Runs tab: what each run takes on disk, moving runs to the trash and back,
 * deleting trashed runs for good. File work runs on the background executor; lists change on the UI executor.
 */
public final class RunsViewModel {

    private final StudioEngine engine;
    private final Executor background;
    private final Executor ui;
    private final Notifier notifier;
    private final I18n i18n;
    private final Runnable changed;
    private final ObservableList<RunSummary> runs = FXCollections.observableArrayList();
    private final ObservableList<TrashedRun> trash = FXCollections.observableArrayList();
    private final ReadOnlyLongWrapper runsBytes = new ReadOnlyLongWrapper(this, "runsBytes");
    private final ReadOnlyLongWrapper trashBytes = new ReadOnlyLongWrapper(this, "trashBytes");

    /**
     * Creates the model.
     *
     * @param engine the engine
     * @param background runs the file work
     * @param ui runs list changes
     * @param notifier receives messages for the user
     * @param i18n the texts
     * @param changed called (on the UI executor) after runs moved, so the checkpoint list can refresh
     */
    public RunsViewModel(StudioEngine engine, Executor background, Executor ui, Notifier notifier, I18n i18n,
                         Runnable changed) {
        this.engine = engine;
        this.background = background;
        this.ui = ui;
        this.notifier = notifier;
        this.i18n = i18n;
        this.changed = changed;
    }

    /** The runs, most recently changed first. */
    public ObservableList<RunSummary> runs() {
        return runs;
    }

    /** The trashed runs, most recently trashed first. */
    public ObservableList<TrashedRun> trash() {
        return trash;
    }

    /** What all runs take on disk, in bytes. */
    public ReadOnlyLongProperty runsBytesProperty() {
        return runsBytes.getReadOnlyProperty();
    }

    /** What the trash takes on disk, in bytes. */
    public ReadOnlyLongProperty trashBytesProperty() {
        return trashBytes.getReadOnlyProperty();
    }

    /** Reads the runs and the trash again. */
    public void refresh() {
        background.execute(this::reload);
    }

    /**
     * Moves a run to the trash.
     *
     * @param run the run
     */
    public void moveToTrash(RunSummary run) {
        act(lib -> {
            lib.moveToTrash(run.name());
            return i18n.tr("runs.trashed", run.name());
        });
    }

    /**
     * Brings a trashed run back (under a free name when its old one is taken).
     *
     * @param run the trashed run
     */
    public void restore(TrashedRun run) {
        act(lib -> {
            String name = lib.restore(run);
            return i18n.tr("runs.restored", name);
        });
    }

    /**
     * Deletes a trashed run for good.
     *
     * @param run the trashed run
     */
    public void delete(TrashedRun run) {
        act(lib -> {
            lib.delete(run);
            return i18n.tr("runs.deleted", run.name());
        });
    }

    /** Deletes everything in the trash for good. */
    public void emptyTrash() {
        act(lib -> {
            List<TrashedRun> all = lib.trash();
            for (TrashedRun t : all) {
                lib.delete(t);
            }
            return i18n.tr("runs.emptied", all.size());
        });
    }

    private interface Action {
        String apply(RunLibrary library) throws Exception;
    }

    private void act(Action action) {
        io.github.facetoon.app.common.UiTask.run(background, ui, () -> action.apply(engine.runLibrary()), done -> {
            notifier.info(done);
            changed.run();
        }, e -> notifier.error(i18n.tr("runs.error"), ErrorText.describe(e, i18n)))
                .whenComplete((done, e) -> reload());
    }

    private void reload() {
        try {
            RunLibrary lib = engine.runLibrary();
            List<RunSummary> r = lib.list();
            List<TrashedRun> t = lib.trash();
            long rb = r.stream().mapToLong(RunSummary::bytes).sum();
            long tb = t.stream().mapToLong(TrashedRun::bytes).sum();
            ui.execute(() -> {
                runs.setAll(r);
                trash.setAll(t);
                runsBytes.set(rb);
                trashBytes.set(tb);
            });
        } catch (Exception e) {
            ui.execute(() -> notifier.error(i18n.tr("runs.error"), ErrorText.describe(e, i18n)));
        }
    }
}
