package io.github.facetoon.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.facetoon.engine.Workspace;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the command line's console for what the user asked for: the libraries' log lines (DJL's engine set-up,
 * the GPU probe, libtorch's own warnings written straight to the process's standard error) go to
 * {@code <workspace>/logs/cli.log} instead, appended, unless {@code --verbose} is given. Runs before any logger
 * exists and before any native library loads.
 */
final class CliLogging {

    /** The flag that keeps the log on the console. */
    static final String VERBOSE = "--verbose";

    private interface C extends Library {
        int open(String path, int flags, int mode);

        int close(int fd);

        int dup(int fd);

        int dup2(int from, int to);

        long write(int fd, byte[] buf, long count);
    }

    /**
     * Writes to a native descriptor directly: a copy of the original standard error, which cannot always be opened
     * again by path (/proc/self/fd/N of a file owned by another user, as when the studio runs as a service account).
     */
    private static final class DescriptorStream extends java.io.OutputStream {
        private final C c;
        private final int fd;

        DescriptorStream(C c, int fd) {
            this.c = c;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            byte[] chunk = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            int done = 0;
            while (done < chunk.length) {
                byte[] rest = done == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, done, chunk.length);
                long n = c.write(fd, rest, rest.length);
                if (n <= 0) {
                    throw new IOException("cannot write to the console");
                }
                done += (int) n;
            }
        }
    }

    private CliLogging() {}

    /**
     * The streams the command's own output and errors go to.
     *
     * @param out standard output
     * @param err the console's standard error (never the log)
     * @param logFile where the log goes, or null when it stays on the console
     */
    record Console(PrintStream out, PrintStream err, Path logFile) {}

    /**
     * Sends the log to the log file unless {@code args} ask for {@code --verbose} or a log file was configured.
     *
     * @param args the command line
     * @return where the command's output and errors go
     */
    static Console setUp(String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (verbose(args) || System.getProperty("org.slf4j.simpleLogger.logFile") != null) {
            return new Console(out, err, null);
        }
        Path file;
        PrintStream log;
        try {
            Path logs = workspace(args).logs();
            Files.createDirectories(logs);
            file = logs.resolve("cli.log");
            log = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // No writable log folder: only warnings and errors reach the console.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            return new Console(out, err, null);
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        log.println("---- facetoon " + String.join(" ", args));
        PrintStream console = redirectNativeStderr(file, err);
        // slf4j-simple writes to whatever System.err is at the time of each line.
        System.setErr(log);
        return new Console(out, console, file);
    }

    /**
     * Points the process's file descriptor 2 (where libtorch writes its warnings) at the log, and returns a stream on
     * a copy of the original descriptor for the console. Where that cannot be done, native warnings stay on the
     * console and {@code fallback} is returned.
     */
    private static PrintStream redirectNativeStderr(Path logFile, PrintStream fallback) {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return fallback;
        }
        try {
            C c = Native.load("c", C.class);
            // O_WRONLY | O_CREAT | O_APPEND
            int flags = Platform.isMac() ? 0x0001 | 0x0200 | 0x0008 : 01 | 0100 | 02000;
            int logFd = c.open(logFile.toString(), flags, 0644);
            if (logFd < 0) {
                return fallback;
            }
            int saved = c.dup(2);
            if (saved < 0) {
                c.close(logFd);
                return fallback;
            }
            PrintStream console = new PrintStream(new DescriptorStream(c, saved), true, StandardCharsets.UTF_8);
            if (c.dup2(logFd, 2) < 0) {
                c.close(logFd);
                console.close();
                return fallback;
            }
            c.close(logFd);
            return console;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return fallback;
        }
    }

    static boolean verbose(String[] args) {
        for (String a : args) {
            if (VERBOSE.equals(a)) {
                return true;
            }
            if ("--".equals(a)) {
                return false;
            }
        }
        return false;
    }

    /** The workspace a command names with {@code --workspace}, else the default one. */
    static Workspace workspace(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--workspace") && i + 1 < args.length) {
                return new Workspace(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--workspace=")) {
                return new Workspace(Path.of(args[i].substring("--workspace=".length())));
            }
        }
        return Workspace.defaultWorkspace();
    }
}
