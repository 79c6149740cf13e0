package io.github.facetoon.engine.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint file format: a JSON header and named binary sections, with a format version and a checksum,
 * written atomically.
 *
 * <pre>
 *   "FTOONCKP" | int format | int headerLength | header (UTF-8 JSON)
 *   | int sections | (UTF name, long length, bytes)* | SHA-256 of everything before
 * </pre>
 *
 * <p>Writing goes to a temporary file in the same folder, which is flushed to disk and then renamed over the
 * target, so a crash or a full disk never leaves a half-written checkpoint under the real name and never
 * replaces a good one. Reading checks the magic, the format version and the checksum before anything is
 * parsed; nothing in a checkpoint is ever executed.
 *
 * @param header the header (iteration, config, weights, ...)
 * @param sections named sections, in order
 */
public record CheckpointFile(JsonObject header, Map<String, byte[]> sections) {

    /** The newest format this version reads and the one it writes. */
    public static final int FORMAT = 1;
    /** File name suffix. */
    public static final String SUFFIX = ".ftc";
    /** Section of a trained generator's base: the pretrained generator it was fine-tuned from (for the strength control). */
    public static final String BASE_GENERATOR = "base_generator";
    /** Prefix of temporary files; a folder scan ignores and cleans them. */
    public static final String TEMP_PREFIX = ".tmp-";

    private static final byte[] MAGIC = "FTOONCKP".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_BYTES = 2L << 30;

    /** Copies the sections into an unmodifiable ordered map. */
    public CheckpointFile {
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /**
     * Returns a section.
     *
     * @param name its name
     * @return its bytes
     * @throws IllegalArgumentException when it is missing
     */
    public byte[] section(String name) {
        byte[] b = sections.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the checkpoint has no '" + name + "' section");
        }
        return b;
    }

    /** Writes the content of one section. */
    @FunctionalInterface
    public interface SectionWriter {
        /**
         * Writes the section.
         *
         * @param out the stream
         * @throws IOException on a write error
         */
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Serialises a section writer to bytes.
     *
     * @param writer the writer
     * @return the bytes
     * @throws IOException on a write error
     */
    public static byte[] bytes(SectionWriter writer) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            writer.write(out);
        }
        return bos.toByteArray();
    }

    /**
     * Writes the checkpoint atomically; on any failure the target is untouched and no temporary file remains.
     *
     * @param target the checkpoint file
     * @throws IOException when writing fails (e.g. a full disk); the message says so
     */
    public void write(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = io.github.facetoon.engine.data.OutputFiles.shareable(Files.createTempFile(dir, TEMP_PREFIX, SUFFIX));
        boolean done = false;
        try {
            MessageDigest sha = sha256();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = java.nio.channels.Channels.newOutputStream(ch);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                         new java.security.DigestOutputStream(os, sha), 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(FORMAT);
                byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
                out.writeInt(h.length);
                out.write(h);
                out.writeInt(sections.size());
                for (Map.Entry<String, byte[]> e : sections.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue().length);
                    out.write(e.getValue());
                }
                out.flush();
                os.write(sha.digest());
                os.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new IOException("could not save checkpoint " + target.getFileName() + ": " + e.getMessage()
                    + (isDiskFull(e) ? " (the disk is full; free some space)" : ""), e);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Reads and verifies a checkpoint.
     *
     * @param file the file
     * @return its header and sections
     * @throws CheckpointException when it is missing, damaged, truncated, not a checkpoint or too new
     */
    public static CheckpointFile read(Path file) throws CheckpointException {
        byte[] all;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new CheckpointException(file, "is " + size + " bytes, larger than any FaceToon checkpoint");
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such checkpoint file", e);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
        return parse(file, all);
    }

    /**
     * Reads only the header, without verifying the checksum (for listing many checkpoints quickly).
     *
     * @param file the file
     * @return the header
     * @throws CheckpointException when it is not a readable FaceToon checkpoint
     */
    public static JsonObject readHeader(Path file) throws CheckpointException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(file, "is not a FaceToon checkpoint");
            }
            int format = in.readInt();
            if (format > FORMAT || format < 1) {
                throw new CheckpointException(file, "has checkpoint format " + format + " (this version reads up to " + FORMAT + ")");
            }
            int hlen = in.readInt();
            if (hlen < 0 || hlen > (1 << 24)) {
                throw new CheckpointException(file, "is malformed (header length " + hlen + ")");
            }
            return JsonParser.parseString(new String(in.readNBytes(hlen), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies and parses a checkpoint held in memory (e.g. a class-path resource).
     *
     * @param file the name to use in messages
     * @param all the file's bytes
     * @return its header and sections
     * @throws CheckpointException when it is damaged, truncated, not a checkpoint or too new
     */
    public static CheckpointFile parse(Path file, byte[] all) throws CheckpointException {
        if (all.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new CheckpointException(file, "is not a FaceToon checkpoint");
        }
        if (all.length < MAGIC.length + 8 + 32) {
            throw new CheckpointException(file, "is truncated (" + all.length + " bytes)");
        }
        int format = ByteBuffer.wrap(all, MAGIC.length, 4).getInt();
        if (format > FORMAT) {
            throw new CheckpointException(file, "was written by a newer FaceToon Studio (checkpoint format " + format
                    + "; this version reads up to " + FORMAT + "): update the application");
        }
        if (format < 1) {
            throw new CheckpointException(file, "has an invalid format number " + format);
        }
        int bodyLen = all.length - 32;
        byte[] digest = sha256().digest(Arrays.copyOf(all, bodyLen));
        if (!Arrays.equals(digest, Arrays.copyOfRange(all, bodyLen, all.length))) {
            throw new CheckpointException(file, "is damaged or truncated (checksum mismatch); "
                    + "use an earlier checkpoint of the same run");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, bodyLen))) {
            in.skipNBytes(MAGIC.length + 4);
            int hlen = in.readInt();
            byte[] h = in.readNBytes(hlen);
            JsonObject header = JsonParser.parseString(new String(h, StandardCharsets.UTF_8)).getAsJsonObject();
            int n = in.readInt();
            Map<String, byte[]> sections = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long len = in.readLong();
                if (len < 0 || len > in.available()) {
                    throw new IOException("section '" + name + "' overruns the file");
                }
                sections.put(name, in.readNBytes((int) len));
            }
            return new CheckpointFile(header, sections);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "is malformed: " + e.getMessage(), e);
        }
    }

    private static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota"))) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
