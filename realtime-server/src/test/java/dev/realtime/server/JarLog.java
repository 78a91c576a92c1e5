package dev.realtime.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test with its output appended to a log file, and the wait for its "ready at" line on the
 * test's own thread (no pipe to drain, no pool to queue on). When the line does not come in time, the JVM is
 * asked for a thread dump (SIGQUIT) before it is killed, and the failure carries the log: what it was doing.
 */
public final class JarLog {
    private JarLog() {
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log}, after a line naming the command. */
    public static Process start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "---- start " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The log's size now: pass it to {@link #awaitReady} to look only at what a start writes after it. */
    public static long size(Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /**
     * Waits until the log holds "ready at" past {@code from} and returns that line; throws with the log (and a
     * thread dump of the JVM when it is still running) when the process exits first or {@code limit} passes.
     */
    public static String awaitReady(Process process, Path log, long from, Duration limit, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String written = since(log, from);
            int at = written.indexOf("ready at");
            if (at >= 0) {
                int start = written.lastIndexOf('\n', at) + 1;
                int end = written.indexOf('\n', at);
                return written.substring(start, end < 0 ? written.length() : end);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited (status " + process.exitValue() + ") before it was ready:\n"
                        + written);
            }
            if (System.nanoTime() > deadline) {
                new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
                Thread.sleep(2000); // the dump goes to the log
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(what + " was not ready after " + limit.toSeconds()
                        + " s; its log, ending with a thread dump:\n" + since(log, from));
            }
            Thread.sleep(50);
        }
    }

    private static String since(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        return new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                StandardCharsets.UTF_8);
    }
}
