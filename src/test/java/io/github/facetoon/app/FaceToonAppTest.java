package io.github.facetoon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceToonAppTest {

    @Test
    void theStudioOpensThePathsItWasGivenAndIgnoresFlags() {
        assertEquals(List.of(Path.of("a.jpg").toAbsolutePath(), Path.of("/photos").toAbsolutePath()),
                FaceToonApp.openedFiles(List.of("a.jpg", "--ignored", "/photos")));
        assertEquals(List.of(), FaceToonApp.openedFiles(List.of()));
    }
}
