package io.github.facetoon.engine.train;

import io.github.facetoon.config.TrainingConfig;
import io.github.facetoon.engine.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runs of a workspace ({@code runs/<name>/}) and its trash ({@code trash/<name>~<when>/}): what each holds and
 * takes on disk, a free name next to a taken one, moving a run to the trash and back. A run's folder never mixes two
 * runs: a training that does not resume refuses a name that already has checkpoints ({@link #refuseOverwrite}).
 */
public final class RunLibrary {

    /** Between a trashed run's name and when it was trashed; never part of a run name. */
    private static final char TRASH_SEPARATOR = '~';
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final Pattern NUMBERED = Pattern.compile("(.*)-(\\d{1,6})");

    private final Workspace workspace;
    private final Predicate<String> training;

    /**
     * Creates the library.
     *
     * @param workspace the workspace
     * @param training tells whether a run (by name) is training now in this process; such a run is not moved
     */
    public RunLibrary(Workspace workspace, Predicate<String> training) {
        this.workspace = workspace;
        this.training = training;
    }

    /**
     * A run folder.
     *
     * @param name the run's name (its model version)
     * @param folder its folder
     * @param checkpoints how many checkpoints it holds
     * @param newestIteration the iteration of its newest checkpoint, -1 when it has none
     * @param bytes what the folder takes on disk
     * @param modified when anything in it last changed
     */
    public record RunSummary(String name, Path folder, int checkpoints, int newestIteration, long bytes,
                             Instant modified) {}

    /**
     * A run in the trash.
     *
     * @param name the name it had
     * @param folder where it lies in the trash
     * @param trashed when it was moved there
     * @param checkpoints how many checkpoints it holds
     * @param newestIteration the iteration of its newest checkpoint, -1 when it has none
     * @param bytes what it takes on disk
     */
    public record TrashedRun(String name, Path folder, Instant trashed, int checkpoints, int newestIteration,
                             long bytes) {}

    /** The trash folder (not created). */
    public Path trashFolder() {
        return workspace.root().resolve("trash");
    }

    /**
     * Lists the runs, most recently changed first.
     *
     * @return the runs; empty when the workspace has none
     * @throws IOException when the runs folder cannot be read
     */
    public List<RunSummary> list() throws IOException {
        List<RunSummary> out = new ArrayList<>();
        for (Path dir : folders(workspace.runs())) {
            out.add(summary(dir.getFileName().toString(), dir));
        }
        out.sort(Comparator.comparing(RunSummary::modified).reversed());
        return out;
    }

    /**
     * One run.
     *
     * @param name its name
     * @return the run, or empty when it has no folder
     * @throws IOException when the folder cannot be read
     */
    public Optional<RunSummary> find(String name) throws IOException {
        Path dir = workspace.run(name);
        return Files.isDirectory(dir) ? Optional.of(summary(name, dir)) : Optional.empty();
    }

    /**
     * A run's loss history as its charts show it: the steps it kept (a roll-back's discarded ones left out).
     *
     * @param name the run's name
     * @return iteration to losses, in order; empty when the run has none
     * @throws IOException when the history cannot be read
     */
    public java.util.Map<Integer, java.util.Map<String, Double>> lossHistory(String name) throws IOException {
        return LossLog.read(workspace.run(name));
    }

    /** The run log's file in a run folder: the notices a user saw, a line each. */
    public static final String RUN_LOG = "run-log.txt";

    /**
     * Adds lines to a run's log (what the studio's Run log showed), so it survives a resume and a restart.
     *
     * @param name the run's name
     * @param lines the lines
     * @throws IOException when the file cannot be written
     */
    public void appendLog(String name, List<String> lines) throws IOException {
        Path dir = workspace.run(name);
        Files.createDirectories(dir);
        Files.write(dir.resolve(RUN_LOG), lines, java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * A run's log, oldest line first.
     *
     * @param name the run's name
     * @return the lines; empty when it has none
     * @throws IOException when the file cannot be read
     */
    public List<String> log(String name) throws IOException {
        Path file = workspace.run(name).resolve(RUN_LOG);
        return Files.isRegularFile(file) ? Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8) : List.of();
    }

    /**
     * A name for a new run: {@code wanted} when no run has checkpoints under it, else the next numbered free one
     * ({@code 1} → {@code 1-2}, {@code face-2} → {@code face-3}).
     *
     * @param wanted the name asked for
     * @return a name without checkpoints (and without a folder, unless {@code wanted} is empty of checkpoints)
     * @throws IOException when a folder cannot be read
     */
    public String freeName(String wanted) throws IOException {
        return hasCheckpoints(wanted) ? nextUnused(wanted) : wanted;
    }

    /** The first numbered name after {@code name} that has no folder. */
    private String nextUnused(String name) {
        Matcher m = NUMBERED.matcher(name);
        String stem = m.matches() ? m.group(1) : name;
        int n = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
        while (true) {
            String candidate = stem + "-" + n;
            if (candidate.length() > 64) {
                stem = stem.substring(0, stem.length() - 1);
            } else if (!Files.exists(workspace.run(candidate))) {
                return candidate;
            } else {
                n++;
            }
        }
    }

    /**
     * Whether a run folder holds any checkpoint.
     *
     * @param name the run's name
     * @return true when it does
     * @throws IOException when the folder cannot be read
     */
    public boolean hasCheckpoints(String name) throws IOException {
        return !new CheckpointStore(workspace.run(name), 1, 0).list().isEmpty();
    }

    /**
     * Refuses a training that would write a fresh run into a folder that already holds one.
     *
     * @param config the run about to start (its workspace and model version)
     * @throws RunExistsException when {@code config} does not resume and its run already has checkpoints
     * @throws IOException when the folder cannot be read
     */
    public static void refuseOverwrite(TrainingConfig config) throws IOException {
        if (config.resume()) {
            return;
        }
        Workspace ws = new Workspace(config.workspace());
        List<Path> existing = new CheckpointStore(ws.run(config.modelVersion()), 1, 0).list();
        if (!existing.isEmpty()) {
            int newest = CheckpointStore.iterationOf(existing.get(0)).orElse(0);
            throw new RunExistsException(config.modelVersion(), ws.run(config.modelVersion()), newest,
                    new RunLibrary(ws, name -> false).freeName(config.modelVersion()));
        }
    }

    /**
     * Moves a run to the trash, from where {@link #restore} brings it back.
     *
     * @param name the run's name
     * @return the trashed run
     * @throws IllegalStateException when the run is training now
     * @throws IOException when it has no folder or cannot be moved
     */
    public TrashedRun moveToTrash(String name) throws IOException {
        Path dir = workspace.run(name);
        if (!Files.isDirectory(dir)) {
            throw new IOException("there is no run named '" + name + "' in " + workspace.runs());
        }
        if (training.test(name)) {
            throw new IllegalStateException("the run '" + name + "' is training: stop it before moving it to the trash");
        }
        Instant now = Instant.now();
        Files.createDirectories(trashFolder());
        Path target = trashFolder().resolve(name + TRASH_SEPARATOR + STAMP.format(now));
        move(dir, target);
        return trashed(target).orElseThrow();
    }

    /**
     * Lists the trash, most recently trashed first.
     *
     * @return the trashed runs
     * @throws IOException when the trash cannot be read
     */
    public List<TrashedRun> trash() throws IOException {
        List<TrashedRun> out = new ArrayList<>();
        for (Path dir : folders(trashFolder())) {
            trashed(dir).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(TrashedRun::trashed).reversed());
        return out;
    }

    /**
     * Brings a trashed run back, under its old name or, when that is taken, the next free one.
     *
     * @param run the trashed run
     * @return the name it has now
     * @throws IOException when it is no longer in the trash or cannot be moved
     */
    public String restore(TrashedRun run) throws IOException {
        if (!Files.isDirectory(run.folder())) {
            throw new IOException("'" + run.name() + "' is no longer in the trash");
        }
        String name = Files.exists(workspace.run(run.name())) ? nextUnused(run.name()) : run.name();
        Files.createDirectories(workspace.runs());
        move(run.folder(), workspace.run(name));
        return name;
    }

    /**
     * Deletes a trashed run for good.
     *
     * @param run the trashed run
     * @throws IOException when a file cannot be deleted
     */
    public void delete(TrashedRun run) throws IOException {
        if (!run.folder().startsWith(trashFolder())) {
            throw new IOException(run.folder() + " is not in the trash");
        }
        deleteTree(run.folder());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private Optional<TrashedRun> trashed(Path dir) throws IOException {
        String folder = dir.getFileName().toString();
        int at = folder.lastIndexOf(TRASH_SEPARATOR);
        if (at <= 0) {
            return Optional.empty();
        }
        Instant when;
        try {
            when = Instant.from(STAMP.parse(folder.substring(at + 1)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        RunSummary s = summary(folder.substring(0, at), dir);
        return Optional.of(new TrashedRun(s.name(), dir, when, s.checkpoints(), s.newestIteration(), s.bytes()));
    }

    private static RunSummary summary(String name, Path dir) throws IOException {
        List<Path> checkpoints = new CheckpointStore(dir, 1, 0).list();
        long[] bytes = {0};
        Instant[] modified = {Files.getLastModifiedTime(dir).toInstant()};
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        bytes[0] += a.size();
                    }
                    if (a.lastModifiedTime().toInstant().isAfter(modified[0])) {
                        modified[0] = a.lastModifiedTime().toInstant();
                    }
                } catch (IOException ignored) {
                    // a file that vanished while listing takes nothing
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int newest = checkpoints.isEmpty() ? -1 : CheckpointStore.iterationOf(checkpoints.get(0)).orElse(-1);
        return new RunSummary(name, dir, checkpoints.size(), newest, bytes[0], modified[0]);
    }

    private static List<Path> folders(Path parent) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, Files::isDirectory)) {
            ds.forEach(out::add);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
