package dev.realtime.server.cluster;

import dev.realtime.server.JarLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of a test cluster: the built {@code realtime-server.jar} in its own JVM, started with the
 * README's command plus {@code --broker}, {@code --node-id} and the cluster timings, always on the same
 * port so that it can be killed and started again. Its output is appended to a log file under
 * {@code target/cluster-it/}.
 */
final class StandaloneNode implements AutoCloseable {
    static final Path JAR = Path.of("target", "realtime-server.jar");
    private static final Duration READY = Duration.ofSeconds(60);

    private final String nodeId;
    private final int port;
    private final List<String> command;
    private final Path log;
    private Process process;

    StandaloneNode(String nodeId, int port, String brokerUri, ClusterApp app, Duration heartbeat, Duration nodeTimeout,
                   Path logDir) {
        this.nodeId = nodeId;
        this.port = port;
        this.log = logDir.resolve(nodeId + ".log");
        this.command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError", "-Xmx256m", "-jar", JAR.toString(),
                "--port", String.valueOf(port), "--host", "127.0.0.1",
                "--app-id", app.id(), "--app-key", app.key(), "--app-secret", app.secret(),
                "--broker", brokerUri, "--node-id", nodeId,
                "--heartbeat-interval-ms", String.valueOf(heartbeat.toMillis()),
                "--node-timeout-ms", String.valueOf(nodeTimeout.toMillis()));
    }

    String nodeId() {
        return nodeId;
    }

    int port() {
        return port;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM and waits for the server's "ready" line; fails with the log when it exits first. */
    synchronized void start() throws IOException, InterruptedException {
        if (running()) {
            throw new IllegalStateException(nodeId + " is already running");
        }
        long from = JarLog.size(log);
        process = JarLog.start(command, log);
        JarLog.awaitReady(process, log, from, READY, "node " + nodeId + " on port " + port);
    }

    /** SIGKILL, as a crash: no {@code bye}, the broker connection just breaks. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the JVM stops mid-flight (as in a long GC pause or a frozen VM); its sockets stay open. */
    synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!running()) {
            throw new IllegalStateException(nodeId + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed: " + out);
        }
    }

    /** SIGTERM (a clean stop, saying {@code bye} to the others); a paused JVM is resumed first, a hung one killed. */
    @Override
    public synchronized void close() throws Exception {
        if (process == null || !process.isAlive()) {
            return;
        }
        signal("CONT");
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The end of the log, for failure messages. */
    String logTail() {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
