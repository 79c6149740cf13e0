package io.github.facetoon.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The folder scan: recursive, case-insensitive, link-following but loop-proof, hidden files skipped, sorted. */
class ImageFolderTest {

    @TempDir
    Path dir;

    private void touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    private List<String> relative(List<Path> files) {
        return files.stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void scansRecursivelySortedAndSkipsHiddenAndOtherFiles() throws IOException {
        for (String f : List.of("b.JPG", "a.png", "sub/c.webp", "sub/deeper/d.TIFF", "e.bmp", "f.tif", "g.jpeg",
                "notes.txt", "h.gif", "noext", ".hidden.png", ".cache/x.png", "sub/._resource.jpg", "été photo.PNG")) {
            touch(f);
        }
        ImageFolder.Scan scan = ImageFolder.scan(dir);
        assertEquals(List.of("a.png", "b.JPG", "e.bmp", "f.tif", "g.jpeg", "sub/c.webp", "sub/deeper/d.TIFF", "été photo.PNG"),
                relative(scan.images()));
        assertEquals(List.of(), scan.problems());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void survivesASymlinkLoopAndReportsIt() throws IOException {
        touch("faces/a.png");
        Files.createSymbolicLink(dir.resolve("faces/loop"), dir); // faces/loop -> root: a cycle
        ImageFolder.Scan scan = ImageFolder.scan(dir);
        assertEquals(List.of("faces/a.png"), relative(scan.images()));
        assertEquals(1, scan.problems().size(), scan.problems().toString());
        FileProblem loop = scan.problems().get(0);
        assertEquals(dir.resolve("faces/loop"), loop.file());
        assertEquals("loop: symbolic link loop, not followed", loop.message());
    }

    @Test
    void followsLinksOnceAndReportsBrokenOnes() throws IOException {
        touch("real/a.png");
        Path outside = Files.createTempDirectory(dir.getParent(), "outside");
        try {
            Files.write(outside.resolve("z.jpg"), new byte[] {1});
            Files.createSymbolicLink(dir.resolve("linked"), outside);        // a linked folder is entered
            Files.createSymbolicLink(dir.resolve("same.png"), dir.resolve("real/a.png")); // same file twice: listed once
            Files.createSymbolicLink(dir.resolve("broken.jpg"), dir.resolve("nowhere.jpg"));
            ImageFolder.Scan scan = ImageFolder.scan(dir);
            assertEquals(List.of("linked/z.jpg", "real/a.png"), relative(scan.images()));
            assertEquals(List.of("broken.jpg: broken symbolic link"), scan.problems().stream().map(FileProblem::message).toList());
        } finally {
            Files.deleteIfExists(outside.resolve("z.jpg"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void missingFolderIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> ImageFolder.scan(dir.resolve("photos")));
        assertTrue(e.getMessage().endsWith("photos: folder not found"), e.getMessage());
    }

    @Test
    void fileInsteadOfFolderIsAClearError() throws IOException {
        touch("photo.jpg");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.scan(dir.resolve("photo.jpg")));
        assertTrue(e.getMessage().contains("photo.jpg: is a file, not a folder"), e.getMessage());
    }

    @Test
    void extensionCheckIgnoresCase() {
        assertTrue(ImageFolder.hasImageExtension(Path.of("A.JpEg")));
        assertTrue(!ImageFolder.hasImageExtension(Path.of("a.svg")) && !ImageFolder.hasImageExtension(Path.of(".png")));
    }
}
