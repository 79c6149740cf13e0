package io.github.facetoon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void photosAndFoldersOpenTheStudioEverythingElseIsTheCommandLine() throws Exception {
        Path photo = Files.writeString(dir.resolve("photo.jpg"), "x");
        Path folder = Files.createDirectories(dir.resolve("holiday"));
        Path test = Files.createDirectories(dir.resolve("test"));
        assertTrue(Main.opensStudio(new String[0]), "no arguments");
        assertTrue(Main.opensStudio(new String[] {photo.toString()}), "a photo (Open with FaceToon)");
        assertTrue(Main.opensStudio(new String[] {photo.toString(), folder.toString()}), "photos and folders");
        assertFalse(Main.opensStudio(new String[] {"cartoonize", photo.toString()}), "a command");
        assertFalse(Main.opensStudio(new String[] {"--help"}));
        assertFalse(Main.opensStudio(new String[] {photo.toString(), "--out"}), "a flag");
        assertFalse(Main.opensStudio(new String[] {dir.resolve("missing.jpg").toString()}),
                "a missing file is left to the command line, which says so");
        assertFalse(Main.opensStudio(new String[] {"test"}), "a command name");
        assertFalse(Main.opensStudio(new String[] {"test", test.toString()}), "a command name wins over a folder");
    }
}
