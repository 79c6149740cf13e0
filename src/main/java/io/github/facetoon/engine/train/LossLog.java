package io.github.facetoon.engine.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's loss history on disk ({@code runs/<name>/losses.tsv}), so its charts survive a resume and a restart of
 * the studio: one line per step ({@code iteration term=value ...}), and a {@code rollback N} line when a roll-back
 * discarded the steps after N. Appended as the run goes; a resumed run appends to it.
 */
public final class LossLog implements AutoCloseable {

    /** The file's name in a run folder. */
    public static final String FILE = "losses.tsv";

    private final BufferedWriter out;

    private LossLog(BufferedWriter out) {
        this.out = out;
    }

    /**
     * Opens a run's log for appending.
     *
     * @param runFolder the run's folder
     * @param resumedAt the iteration a resumed run starts from (what the file holds after it is dropped), or -1 for a
     *     fresh run (the file starts empty)
     * @return the log
     * @throws IOException when it cannot be opened
     */
    static LossLog open(Path runFolder, int resumedAt) throws IOException {
        Files.createDirectories(runFolder);
        Path file = runFolder.resolve(FILE);
        BufferedWriter w = resumedAt < 0
                ? Files.newBufferedWriter(file, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        LossLog log = new LossLog(w);
        if (resumedAt >= 0) {
            log.rolledBack(resumedAt);
        }
        return log;
    }

    /** Records one step. */
    void step(int iteration, Map<String, Double> losses) throws IOException {
        StringBuilder b = new StringBuilder().append(iteration);
        losses.forEach((k, v) -> b.append('\t').append(k).append('=').append(String.format(Locale.ROOT, "%.6g", v)));
        out.write(b.append('\n').toString());
        out.flush();
    }

    /** Records that the steps after an iteration were discarded. */
    void rolledBack(int iteration) throws IOException {
        out.write("rollback\t" + iteration + "\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Reads a run's history: the steps the run kept, in order.
     *
     * @param runFolder the run's folder
     * @return iteration to losses; empty when the run has no log
     * @throws IOException when the file cannot be read
     */
    public static Map<Integer, Map<String, Double>> read(Path runFolder) throws IOException {
        TreeMap<Integer, Map<String, Double>> out = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(runFolder.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : lines) {
            String[] parts = line.split("\t");
            try {
                if (parts[0].equals("rollback")) {
                    out.tailMap(Integer.parseInt(parts[1]), false).clear();
                    continue;
                }
                int it = Integer.parseInt(parts[0]);
                Map<String, Double> losses = new LinkedHashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    losses.put(parts[i].substring(0, eq), Double.parseDouble(parts[i].substring(eq + 1)));
                }
                out.tailMap(it, true).clear();
                out.put(it, losses);
            } catch (RuntimeException e) {
                // a line cut short by a crash: the rest of the file still reads
            }
        }
        return out;
    }
}
