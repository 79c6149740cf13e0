package io.github.facetoon.cli;

import io.github.facetoon.config.LossTerm;
import io.github.facetoon.engine.train.TrainingEvent;
import io.github.facetoon.engine.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a training's progress on the console: a redrawn bar with it/s and ETA on a terminal, plain lines
 * (every {@code plainEvery} iterations) when the output is not a terminal.
 */
final class ConsoleProgress implements TrainingListener {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final int plainEvery;
    private boolean barShown;

    ConsoleProgress(PrintWriter out, PrintWriter err, boolean terminal, int plainEvery) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.plainEvery = Math.max(1, plainEvery);
    }

    @Override
    public void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.StepCompleted s) {
            if (terminal) {
                out.print("\r" + bar(s));
                out.flush();
                barShown = true;
            } else if (s.iteration() % plainEvery == 0 || s.iteration() == s.totalIter() || s.iteration() == 1) {
                out.println(line(s));
            }
        } else if (event instanceof TrainingEvent.CheckpointSaved c) {
            println("saved " + c.path());
        } else if (event instanceof TrainingEvent.DataProblem d) {
            println("skipped " + d.file() + ": " + d.reason());
        } else if (event instanceof TrainingEvent.RolledBack b) {
            println((b.nan() ? "losses became NaN or infinite" : "the output collapsed to a flat or two-colour image")
                    + " at iteration " + b.failedAt() + ": rolled back to iteration " + b.iteration()
                    + "; learning rate now " + b.learningRate() + ", weights now " + b.weights());
        } else if (event instanceof TrainingEvent.LearningRateChanged lr) {
            println("learning rate " + lr.learningRate() + " from iteration " + lr.iteration());
        } else if (event instanceof TrainingEvent.Preparing p) {
            println(p.stage().text() + "…");
        } else if (event instanceof TrainingEvent.Notice n) {
            println(n.message());
        } else if (event instanceof TrainingEvent.WeightsChanged w) {
            println("weights changed from iteration " + w.iteration() + ": " + w.weights());
        } else if (event instanceof TrainingEvent.RunFinished f) {
            println((f.cancelled() ? "stopped" : "finished") + " at iteration " + f.iteration()
                    + (f.lastCheckpoint() != null ? "; checkpoint " + f.lastCheckpoint() : ""));
        } else if (event instanceof TrainingEvent.RunFailed f) {
            println("");
            err.println("error: " + f.message());
            err.flush();
        }
    }

    private void println(String s) {
        if (barShown) {
            out.println();
            barShown = false;
        }
        out.println(s);
        out.flush();
    }

    static String line(TrainingEvent.StepCompleted s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "iter %d/%d", s.iteration(), s.totalIter()));
        for (Map.Entry<String, Double> e : s.losses().entrySet()) {
            b.append(String.format(Locale.ROOT, " %s=%.4g", e.getKey(), e.getValue()));
        }
        b.append(String.format(Locale.ROOT, " | %s it/s, ETA %s", rate(s.itPerSec()), eta(s.etaSeconds())));
        return b.toString();
    }

    static String bar(TrainingEvent.StepCompleted s) {
        int width = 30;
        int filled = (int) Math.round(width * (double) s.iteration() / s.totalIter());
        Double total = s.losses().getOrDefault(LossTerm.TOTAL_KEY, s.losses().get(LossTerm.PRETRAIN_KEY));
        return String.format(Locale.ROOT, "[%s%s] %d/%d  loss %s  %s it/s  ETA %s   ", "#".repeat(filled),
                " ".repeat(width - filled), s.iteration(), s.totalIter(),
                total == null ? "-" : String.format(Locale.ROOT, "%.4g", total), rate(s.itPerSec()), eta(s.etaSeconds()));
    }

    private static String rate(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f", r) : "-";
    }

    /** Whether progress is redrawn in place (a terminal) rather than printed as lines ({@code facetoon.plainProgress}). */
    static boolean onTerminal() {
        return System.console() != null && !Boolean.getBoolean("facetoon.plainProgress");
    }

    static String eta(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
