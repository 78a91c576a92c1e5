package dev.realtime.bench.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every scenario shares: which servers, how they run, where results go. */
public final class BenchOptions {
    static final int OURS_PORT = 6101;
    static final int SOKETI_PORT = 6001;
    static final int SOCKETIO_PORT = 6002;

    @Option(names = "--target", split = ",", paramLabel = "TARGET",
            description = "ours (starts the standalone jar), soketi, socketio, floor (the C program), or the URL of a running"
                    + " server on 127.0.0.1: pusher://127.0.0.1:6001[?pid=N] or socketio://127.0.0.1:6002[?pid=N];"
                    + " ours-2nodes / soketi-2nodes: two nodes linked through Redis (--redis), subscribers on one, publishes to the other."
                    + " Comma-separated or repeated; default: ${DEFAULT-VALUE}.", defaultValue = "ours")
    List<String> targets = new ArrayList<>();

    @Option(names = "--redis", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6379",
            description = "the Redis the two-node targets (ours-2nodes, soketi-2nodes) link their nodes through (default ${DEFAULT-VALUE})")
    String redis;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "10", description = "seconds per measured step (default ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "30", description = "seconds of unmeasured load before the first step (default ${DEFAULT-VALUE}: long enough for our server's first pings to its 30 s-silent subscribers, a code path the JIT otherwise meets in a measured step); see also --warmup-rate, --warmup-publishes")
    int warmup;

    @Option(names = "--warmup-rate", paramLabel = "R", defaultValue = "100000",
            description = "deliveries/s during the warm-up, or the highest step's rate if lower (default ${DEFAULT-VALUE}): the"
                    + " rate of the headline row, fast enough that writes coalesce and the JIT compiles that path before measuring")
    int warmupRate;

    @Option(names = "--warmup-publishes", paramLabel = "N", defaultValue = "20000",
            description = "before the warm-up, N events published at 2 000/s to a channel nobody subscribes to (default"
                    + " ${DEFAULT-VALUE}; 0: none): the HTTP API's code reaches the JIT's thresholds as on a server that has been up"
                    + " a while, instead of compiling through the measured steps (at 100 events/s it takes minutes)")
    int warmupPublishes;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "fanout and channels: measure each step N times, every target in turn each time; the ratio"
                    + " tables take each target's median (default ${DEFAULT-VALUE}; compare: 3)")
    int repeat;

    @Option(names = "--sequential",
            description = "fanout and channels: run every step of one target before starting the next; by default all the"
                    + " targets are started, subscribed and warmed up first, then each step is measured on one target after the"
                    + " other, so that the figures a ratio compares are taken seconds apart on a host whose speed drifts")
    boolean sequential;

    @Option(names = "--server-jar", defaultValue = "realtime-server/target/realtime-server.jar", description = "the standalone server (ours)")
    Path serverJar;

    @Option(names = "--server-cores", defaultValue = "0",
            description = "taskset CPU list for the server (default ${DEFAULT-VALUE}); 'all' runs it unpinned")
    String serverCores;

    @Option(names = "--heap", defaultValue = "1g", description = "-Xms/-Xmx of our server (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--server-jvm-arg", paramLabel = "ARG", description = "extra JVM argument for our server, e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr")
    List<String> serverJvmArgs = new ArrayList<>();

    @Option(names = "--peers", defaultValue = "realtime-bench/peers", description = "the folder of install.sh (peers in its .work/)")
    Path peers;

    @Option(names = "--out", defaultValue = "bench-results", description = "where CSV, Markdown and PNG files go (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--max-load-cpu", defaultValue = "85",
            description = "refuse a step where the load generator used more than this %% of a core (default ${DEFAULT-VALUE})")
    double maxLoadCpu;

    @Option(names = "--quiet-wait", paramLabel = "S", defaultValue = "0",
            description = "on a shared machine: before each step wait up to S seconds for other processes to use under"
                    + " 20%% of a core (default ${DEFAULT-VALUE}: don't wait; each step records what others used anyway)")
    int quietWait;

    /** The taskset CPU list, or null for an unpinned server. */
    String cores() {
        return "all".equals(serverCores) ? null : serverCores;
    }

    /** A core for the floor's reader (the load side): the first one the server is not pinned to. */
    int loadCore() {
        return "0".equals(serverCores) ? 1 : 0;
    }

    static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** Servers this run started, stopped by a shutdown hook too, so an interrupted run leaves none behind. */
    private static final java.util.Set<ProcessHandle> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(ProcessHandle::destroy), "stop-servers"));
    }

    /** Starts one target (not the floor, which runs per step). */
    Target start(String target) throws Exception {
        Target t = create(target);
        if (!(t instanceof UrlTarget)) {
            t.startedPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(STARTED::add));
        }
        return t;
    }

    private Target create(String target) throws Exception {
        return switch (target) {
            case "ours" -> new OursTarget(this);
            case "soketi" -> NodeTarget.soketi(this);
            case "socketio" -> NodeTarget.socketIo(this);
            case "ours-2nodes" -> TwoNodes.ours(this);
            case "soketi-2nodes" -> TwoNodes.soketi(this);
            default -> {
                if (target.contains("://")) {
                    yield new UrlTarget(target);
                }
                throw new IllegalArgumentException("unknown target " + target
                        + " (ours, soketi, socketio, floor, ours-2nodes, soketi-2nodes or a URL)");
            }
        };
    }
}
