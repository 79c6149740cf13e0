package io.github.facetoon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.facetoon.engine.bench.SyntheticPhotos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it, in its own process: the console holds only what the command says. */
class CliConsoleTest {

    @TempDir
    Path dir;

    private record Ran(int code, String out, String err) {}

    private Ran facetoon(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "io.github.facetoon.Main"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ended");
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theEnginesLogGoesToTheLogFileUnlessVerbose() throws Exception {
        Path photos = SyntheticPhotos.writePhotos(dir.resolve("photos"), 1, 48, 1);
        Path ws = dir.resolve("ws");
        Ran quiet = facetoon("cartoonize", photos.toString(), "--model", "classic", "--out", dir.resolve("c").toString(),
                "--workspace", ws.toString());
        assertEquals(0, quiet.code(), quiet.out() + quiet.err());
        assertEquals("", quiet.err(), "nothing but the command's own words on the console");
        assertTrue(quiet.out().contains("1 cartoonized"), quiet.out());
        assertTrue(quiet.out().lines().noneMatch(l -> l.contains("INFO") || l.contains("WARN")), quiet.out());
        String log = Files.readString(ws.resolve("logs/cli.log"));
        assertTrue(log.contains("Engine: PyTorch"), log);

        Ran verbose = facetoon("cartoonize", photos.toString(), "--model", "classic", "--out",
                dir.resolve("c2").toString(), "--workspace", ws.toString(), "--verbose");
        assertEquals(0, verbose.code(), verbose.out() + verbose.err());
        assertTrue(verbose.err().contains("Engine: PyTorch"), verbose.err());
    }
}
