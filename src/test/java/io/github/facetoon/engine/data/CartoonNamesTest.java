package io.github.facetoon.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CartoonNamesTest {

    @TempDir
    Path dir;

    @Test
    void oneRuleForEveryCartoon() {
        assertEquals("face_cartoon.png", CartoonNames.name(Path.of("a/face.JPG"), 1.0, "png", false));
        assertEquals("face_cartoon_s0.75.jpg", CartoonNames.name(Path.of("face.png"), 0.75, "jpg", false));
        assertEquals("cage_webp_cartoon.png", CartoonNames.name(Path.of("cage.webp"), 1.0, "png", true));
        assertEquals("README_cartoon.png", CartoonNames.name(Path.of("README"), 1.0, "png", true));
    }

    @Test
    void photosThatShareANameGetTheirTypeInIt() throws Exception {
        Path jpg = dir.resolve("cage.jpg");
        Path webp = dir.resolve("cage.webp");
        Path other = dir.resolve("face.png");
        var need = CartoonNames.typeNeeded(List.of(jpg, webp, other));
        assertTrue(need.get(jpg) && need.get(webp));
        assertFalse(need.get(other));
        Path a = CartoonNames.free(dir, jpg, 1.0, "png", need.get(jpg));
        Files.writeString(a, "x");
        Path b = CartoonNames.free(dir, webp, 1.0, "png", need.get(webp));
        assertEquals("cage_jpg_cartoon.png", a.getFileName().toString());
        assertEquals("cage_webp_cartoon.png", b.getFileName().toString());
        Files.writeString(b, "x");
        assertEquals("cage_webp_cartoon-1.png", CartoonNames.free(dir, webp, 1.0, "png", true).getFileName().toString(),
                "an earlier save is never overwritten");
    }

    @Test
    void neverThePhotoItself() throws Exception {
        // a photo whose own name is what its cartoon would be called
        Path photo = Files.writeString(dir.resolve("me_cartoon.png"), "photo");
        Path target = CartoonNames.free(dir, dir.resolve("me_cartoon.png").resolveSibling("me.png"), 1.0, "png", false);
        assertEquals("me_cartoon-1.png", target.getFileName().toString(), "taken, so numbered");
        Path self = CartoonNames.free(dir, photo, 1.0, "png", false);
        assertFalse(self.equals(photo));
    }
}
