package dev.realtime.spi;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server the test starts itself (a private {@code redis-server} or {@code nats-server} on a free
 * port), to stop and start again in reconnect tests. Its output goes to a log file under
 * {@code target/}; {@link #start} waits until the port answers.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    /** Servers still running when the JVM exits (a crashed or interrupted test run) are stopped too. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final List<String> command;
    private final int port;
    private Process process;

    /** A server listening on {@code port} once {@code command} has started; not started yet. */
    public ServerProcess(String name, int port, List<String> command) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
    }

    public int port() {
        return port;
    }

    /** Starts the server and waits until it accepts connections. */
    public ServerProcess start() {
        File log = new File("target", name + "-" + port + ".log");
        log.getParentFile().mkdirs();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
            RUNNING.add(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!BrokerServers.reachable("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start on port " + port + " (" + command
                        + "); see " + log.getAbsolutePath());
            }
            sleep(50);
        }
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until its port is closed. */
    public void stop() {
        if (process == null) {
            return;
        }
        RUNNING.remove(process);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (BrokerServers.reachable("127.0.0.1", port) && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
