package io.github.facetoon.cli;

import io.github.facetoon.engine.EngineRuntime;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code facetoon} command line: the original FacialCartoonization project's commands (pretrain, train, test) and the product's own,
 * all thin adapters over the engine.
 */
@Command(name = "facetoon",
        mixinStandardHelpOptions = true,
        versionProvider = FaceToonCli.Version.class,
        description = "FaceToon Studio command line: train, test and use a face-cartoonization GAN.%n"
                + "Run without arguments to open the studio.",
        subcommands = {PretrainCommand.class, TrainCommand.class, TestCommand.class, CartoonizeCommand.class, EvaluateCommand.class,
            LandmarksCommand.class, BenchCommand.class, ExportCommand.class,
            CommandLine.HelpCommand.class})
public final class FaceToonCli implements Runnable {

    /** Exit code for a command that ran but failed (bad data, damaged checkpoint, ...). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a usage error (unknown flag, bad value). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--allow-downloads",
            description = "Allow the engine to use the network (off by default: everything runs offline).")
    boolean allowDownloads;

    @Option(names = CliLogging.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "Show the engine's log on the console (by default it goes to the workspace's logs/cli.log).")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N", scope = CommandLine.ScopeType.INHERIT,
            description = "Threads the engine uses (default: 0, one per core; 1 leaves a core to other programs).")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the command line with its subcommands and error handling, without running it.
     *
     * @param out where normal output goes
     * @param err where errors go
     * @return the configured command line
     */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new FaceToonCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parseResult -> {
            FaceToonCli root = parseResult.commandSpec().commandLine().getCommand();
            EngineRuntime.configure(root.allowDownloads);
            int threads = 0;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
                if (p.hasMatchedOption("--threads")) {
                    threads = p.matchedOptionValue("--threads", 0);
                }
            }
            if (threads < 0) {
                throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(),
                        "--threads must be 0 (one per core) or more, got " + threads);
            }
            io.github.facetoon.engine.NativeThreads.setThreads(threads);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()) {
                c.getErr().println("Did you mean: " + String.join(" or ", unmatched.getSuggestions()) + "?");
            }
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the flags.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + CliErrors.describe(ex));
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * The names of the commands (and {@code help}).
     *
     * @return the names
     */
    public static Set<String> commandNames() {
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        return Set.copyOf(create(none, none).getSubcommands().keySet());
    }

    /**
     * Runs the command line and returns its exit code.
     *
     * @param args the arguments
     * @return 0 on success, 1 on failure, 2 on a usage error
     */
    public static int run(String... args) {
        CliLogging.Console console = CliLogging.setUp(args);
        PrintWriter out = new PrintWriter(console.out(), true);
        PrintWriter err = new PrintWriter(console.err(), true);
        int code = create(out, err).execute(args);
        if (code == EXIT_FAILURE && console.logFile() != null) {
            err.println("(details in " + console.logFile() + "; " + CliLogging.VERBOSE + " shows them here)");
        }
        return code;
    }

    /** Reports the application and engine versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FaceToonCli.class.getPackage().getImplementationVersion();
            return new String[] {"FaceToon Studio " + (v == null ? "(development build)" : v)};
        }
    }
}
