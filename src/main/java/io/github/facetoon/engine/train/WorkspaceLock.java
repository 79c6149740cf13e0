package io.github.facetoon.engine.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a workspace for one training at a time, across processes (an OS file lock) and within
 * one process. The operating system releases it when the process dies, so a crash never leaves it stuck.
 */
public final class WorkspaceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private WorkspaceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @param workspaceRoot the workspace folder
     * @param owner a description of the training, written into the lock file for the message others see
     * @return the held lock
     * @throws IOException when another training holds it (the message says which) or the file cannot be made
     */
    public static WorkspaceLock acquire(Path workspaceRoot, String owner) throws IOException {
        Files.createDirectories(workspaceRoot);
        Path file = workspaceRoot.resolve("training.lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String holder = "";
            try {
                holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException ignored) {
                // the message below is clear enough without it
            }
            ch.close();
            throw new IOException("another training is already running on the workspace " + workspaceRoot
                    + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + ": wait for it to finish or stop it, or use another --workspace");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((owner + ", pid " + ProcessHandle.current().pid())
                .getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
        return new WorkspaceLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
