package io.github.facetoon.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one naming rule of saved cartoons, for the command line and the studio: {@code <photo>_cartoon.png}
 * ({@code _cartoon_s0.75} at another strength than 1); when two photos of the same batch share a name but not a
 * type ({@code cage.jpg}, {@code cage.webp}) their type goes into the name too ({@code cage_jpg_cartoon.png},
 * {@code cage_webp_cartoon.png}), so no two cartoons have names one cannot tell apart; a name already taken gets
 * {@code -2}, {@code -3}, ... Never the photo itself.
 */
public final class CartoonNames {

    private CartoonNames() {}

    /**
     * The file name for a photo's cartoon, before any numbering.
     *
     * @param photo the photo
     * @param strength the cartoon's strength
     * @param extension the format's extension, e.g. {@code png} or {@code jpg}
     * @param withType whether the photo's type goes into the name (another photo of the batch has the same stem)
     * @return the name
     */
    public static String name(Path photo, double strength, String extension, boolean withType) {
        String file = photo.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String type = dot > 0 ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        String strengthPart = strength == 1.0 ? "" : String.format(Locale.ROOT, "_s%.2f", strength);
        return stem + (withType && !type.isEmpty() ? "_" + type : "") + "_cartoon" + strengthPart + "."
                + extension.toLowerCase(Locale.ROOT);
    }

    /**
     * The photos of a batch whose stem another photo of the batch shares.
     *
     * @param batch the photos saved together
     * @return for each photo whether its type must go into its cartoon's name
     */
    public static Map<Path, Boolean> typeNeeded(Collection<Path> batch) {
        Map<String, Integer> stems = new HashMap<>();
        for (Path p : batch) {
            stems.merge(stemOf(p), 1, Integer::sum);
        }
        Map<Path, Boolean> out = new HashMap<>();
        for (Path p : batch) {
            out.put(p, stems.get(stemOf(p)) > 1);
        }
        return out;
    }

    /**
     * A free path in a folder for a photo's cartoon.
     *
     * @param folder the folder
     * @param photo the photo
     * @param strength the cartoon's strength
     * @param extension {@code png}, {@code jpg} or {@code webp}
     * @param withType whether the photo's type goes into the name ({@link #typeNeeded})
     * @return a path that does not exist yet and is not the photo
     * @throws IOException when no free name is found
     */
    public static Path free(Path folder, Path photo, double strength, String extension, boolean withType)
            throws IOException {
        Path candidate = ImageWriter.uniqueName(folder, name(photo, strength, extension, withType));
        if (candidate.toAbsolutePath().normalize().equals(photo.toAbsolutePath().normalize())) {
            candidate = ImageWriter.uniqueName(folder, name(photo, strength, extension, true));
        }
        return candidate;
    }

    private static String stemOf(Path p) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return (dot > 0 ? file.substring(0, dot) : file).toLowerCase(Locale.ROOT);
    }
}
