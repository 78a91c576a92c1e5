package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.RealtimeBuilder;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpTransport;
import dev.realtime.longpoll.LongPolling;
import dev.realtime.sse.Sse;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server, a drop-in for Soketi or Reverb:
 * {@code java -XX:+ExitOnOutOfMemoryError -jar realtime-server.jar --port 6001 --app-id ID --app-key KEY --app-secret SECRET}
 * (see {@link ServerOptions#usage()}). It has no authenticator: private and presence channels are
 * authorized by the application's own backend, which signs with the same secret; the server's auth
 * endpoints answer 401.
 *
 * <p>A server that ran out of memory must not linger half-alive (its accept and I/O threads dead,
 * {@code /health} silent): the documented command exits on {@code OutOfMemoryError}, and as a
 * backstop a {@link VirtualMachineError} escaping any thread halts the JVM with {@value #EXIT_VM_ERROR},
 * so a supervisor restarts it. Shutdown (SIGTERM) is bounded the same way.
 */
public final class Main {
    /** Exit status for unusable options. */
    static final int EXIT_USAGE = 2;
    /** Exit status when the server cannot start (port taken, …). */
    static final int EXIT_START_FAILED = 1;
    /** Exit status when a {@link VirtualMachineError} (out of memory, …) escaped a thread. */
    static final int EXIT_VM_ERROR = 3;
    /** Exit status when shutting down took longer than {@link #SHUTDOWN_LIMIT}. */
    static final int EXIT_SHUTDOWN_HUNG = 4;
    /** How long the shutdown hook may take before the JVM is halted: the stop timeout, its margin, and the node's close. */
    static final Duration SHUTDOWN_LIMIT =
            RealtimeServer.DEFAULT_STOP_TIMEOUT.plus(RealtimeServer.STOP_MARGIN).plusSeconds(5);

    private Main() {
    }

    /** Runs the server until the JVM is stopped (Ctrl-C, SIGTERM). */
    public static void main(String[] args) throws InterruptedException {
        Thread.setDefaultUncaughtExceptionHandler(haltOnVirtualMachineError(System.err, Runtime.getRuntime()::halt,
                Thread.getDefaultUncaughtExceptionHandler()));
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Parses the options, starts the server and waits for it to stop; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, env);
        } catch (ServerOptions.UsageException e) {
            err.println("realtime-server: " + e.getMessage().replace("\n", "\nrealtime-server: "));
            err.println("Run with --help for the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(ServerOptions.usage());
            return 0;
        }
        configureLogging();
        RealtimeServer server;
        try {
            server = start(options, true);
        } catch (RuntimeException e) {
            err.println("realtime-server: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_LIMIT.toMillis());
                    err.println("realtime-server: shutdown did not finish within " + SHUTDOWN_LIMIT.toSeconds() + " s: halting");
                    Runtime.getRuntime().halt(EXIT_SHUTDOWN_HUNG);
                } catch (InterruptedException e) {
                    // shut down in time
                }
            }, "realtime-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                // The node first: every client gets its close frame (4200: pusher-js reconnects at once, to another
                // node behind the load balancer) and the cluster its goodbye, so the other nodes drop this node's
                // members now. Stopping Jetty first would cut idle sockets only after its shutdown idle timeout
                // (1 s) and busy ones after the stop timeout, members leaving one by one all along.
                server.realtime().close();
                server.stop();
            } finally {
                watchdog.interrupt();
            }
        }, "realtime-shutdown"));
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("realtime server ready at {} (app id {}, key {}): clients connect to {}/app/{}, the HTTP API is {}/apps/{}",
                server.url(), options.appId(), options.appKey(), server.url().replaceFirst("^http", "ws"), options.appKey(),
                server.url(), options.appId());
        if (options.broker() != null) {
            log.info("node {} of a cluster linked by {} (heartbeat every {} ms, a node silent for {} ms is declared down)",
                    server.realtime().nodeId(), options.broker().replaceAll("//[^@/]*@", "//***@"),
                    options.heartbeatInterval().toMillis(), options.nodeTimeout().toMillis());
        }
        server.join();
        return 0;
    }

    /** Builds the node and starts the server (WebSocket, auth endpoints, HTTP API, health) without blocking; no warm-up. */
    static RealtimeServer start(ServerOptions options) {
        return start(options, false);
    }

    /**
     * As {@link #start(ServerOptions)}, with the options' warm-up first when {@code warmup}: before the
     * node joins its cluster and before the server listens, so that its first clients meet compiled
     * code (see {@link Warmup}).
     */
    static RealtimeServer start(ServerOptions options, boolean warmup) {
        if (warmup && options.warmupConnections() > 0) {
            warmUp(options);
        }
        RealtimeBuilder builder = Realtime.builder()
                .app(options.appId(), options.appKey(), options.appSecret())
                .clientEvents(options.clientEvents())
                .heartbeatInterval(options.heartbeatInterval()).nodeTimeout(options.nodeTimeout());
        if (options.broker() != null) {
            builder.broker(options.broker()); // the broker module that serves the URI's scheme
        }
        if (options.nodeId() != null) {
            builder.nodeId(options.nodeId());
        }
        Realtime realtime = builder.build();
        try {
            RealtimeServer.Builder server = RealtimeServer.on(realtime).host(options.host()).port(options.port())
                    .backlog(options.backlog()).maxInFlightRequestsPerIp(options.maxInFlightPerIp())
                    .maxThreads(options.maxThreads()).websocket();
            if (options.httpFallbacks()) {
                List<HttpMode> modes = new ArrayList<>(List.of(Sse.all()));
                modes.addAll(List.of(LongPolling.all()));
                server.http(HttpTransport.builder().modes(modes.toArray(HttpMode[]::new))
                        .maxSessions(options.maxHttpSessions())
                        .maxSessionsPerIp(options.maxHttpSessionsPerIp())
                        .build());
            }
            if (options.tlsKeyStore() != null) {
                server.tls(options.tlsKeyStore(), options.tlsPassword());
            }
            return server.start();
        } catch (RuntimeException e) {
            realtime.close();
            throw e;
        }
    }

    /** The longest the start waits for the warm-up; past it the server starts and the warm-up ends on its own. */
    static final long WARMUP_LIMIT_MILLIS = 20_000;

    /**
     * Before the node exists (it joins its cluster, heartbeats and presence, only once warm), on a
     * thread of its own so that a warm-up that stalls (a loaded machine) never holds the start for
     * more than {@link #WARMUP_LIMIT_MILLIS}.
     */
    private static void warmUp(ServerOptions options) {
        long[] ms = {-1};
        Thread t = new Thread(() -> ms[0] = Warmup.run(options.warmupConnections(), options.maxThreads()), "realtime-warmup");
        t.setDaemon(true);
        t.start();
        try {
            t.join(WARMUP_LIMIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (t.isAlive()) {
            log.warn("the warm-up is still running after {} ms: starting without waiting for it", WARMUP_LIMIT_MILLIS);
        } else if (ms[0] >= 0) {
            log.info("warmed up with {} loopback clients in {} ms (--warmup 0 skips this)", options.warmupConnections(), ms[0]);
        }
    }

    /**
     * The default uncaught-exception handler of the standalone server: a {@link VirtualMachineError}
     * (out of memory, stack overflow, internal error) leaves the JVM in no state to serve, so it is
     * reported on {@code err} and the JVM halted with {@link #EXIT_VM_ERROR} (no shutdown hooks: they
     * could need the memory that ran out); anything else goes to {@code next}, or is printed.
     */
    static Thread.UncaughtExceptionHandler haltOnVirtualMachineError(PrintStream err, IntConsumer halt,
                                                                       Thread.UncaughtExceptionHandler next) {
        return (thread, e) -> {
            if (e instanceof VirtualMachineError) {
                try {
                    err.println("realtime-server: " + e + " in thread " + thread.getName()
                            + ": halting (exit " + EXIT_VM_ERROR + ") so that a supervisor restarts the server");
                    e.printStackTrace(err);
                } finally {
                    halt.accept(EXIT_VM_ERROR);
                }
            } else if (next != null) {
                next.uncaughtException(thread, e);
            } else {
                err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace(err);
            }
        };
    }

    /** slf4j-simple: INFO for us, WARN for Jetty, so that "ready" is the one line at start; -D settings win. */
    static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
