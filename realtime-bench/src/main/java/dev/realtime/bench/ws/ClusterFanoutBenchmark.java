package dev.realtime.bench.ws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cross-node fan-out through a broker: two standalone nodes linked by {@code --broker}, N WebSocket
 * subscribers on node b, events published through the HTTP API of node a (they cross the broker)
 * and, as the one-node baseline at the same moment, through node b's own API (local fan-out). Then
 * presence convergence: M members on a third node c, an observer on a; c is killed (SIGKILL) and the
 * time until the observer has seen every member leave is measured, then the same for a clean stop
 * (SIGTERM). Prints Markdown tables.
 *
 * <pre>java -cp realtime-bench/target/benchmarks.jar dev.realtime.bench.ws.ClusterFanoutBenchmark \
 *     --broker redis://127.0.0.1:6379 [--subscribers 1000] [--rates 100,200,400] [--seconds 10]
 *     [--members 99] [--heartbeat-ms 2000 --node-timeout-ms 6000] [--server-cores 0|all] [--port 6201]</pre>
 */
public final class ClusterFanoutBenchmark {
    private static final String APP_ID = "bench";
    private static final String KEY = "bench-key";
    private static final String SECRET = "bench-secret";
    private static final String CHANNEL = "bench";

    private ClusterFanoutBenchmark() {
    }

    /** The options; see the class comment. */
    private record Options(String broker, int subscribers, List<Integer> rates, int seconds, int members, long heartbeatMs,
                           long nodeTimeoutMs, String cores, int port, String heap, Path jar) {
        static Options parse(String[] args) {
            String broker = null;
            int subscribers = 1000;
            List<Integer> rates = List.of(100, 200, 400);
            int seconds = 10;
            int members = 99; // with the observer, the default presence limit of 100 users
            long heartbeat = 2000;
            long timeout = 6000;
            String cores = "0";
            int port = 6201;
            String heap = "1g";
            Path jar = Path.of("realtime-server/target/realtime-server.jar");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--broker" -> broker = args[++i];
                    case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                    case "--rates" -> rates = java.util.Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--members" -> members = Integer.parseInt(args[++i]);
                    case "--heartbeat-ms" -> heartbeat = Long.parseLong(args[++i]);
                    case "--node-timeout-ms" -> timeout = Long.parseLong(args[++i]);
                    case "--server-cores" -> cores = args[++i].equals("all") ? null : args[i];
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--heap" -> heap = args[++i];
                    case "--jar" -> jar = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --broker URI"
                            + " --subscribers N --rates a,b,c --seconds S --members M --heartbeat-ms MS --node-timeout-ms MS"
                            + " --server-cores 0|all --port P (uses P, P+1, P+2) --heap 1g --jar PATH");
                }
            }
            if (broker == null) {
                throw new IllegalArgumentException("--broker URI is required, e.g. redis://127.0.0.1:6379, "
                        + "amqp://guest:guest@127.0.0.1:5672 or nats://127.0.0.1:4222");
            }
            return new Options(broker, subscribers, rates, seconds, members, heartbeat, timeout, cores, port, heap, jar);
        }

        ServerProcess node(String id, int offset) throws Exception {
            return new ServerProcess(jar, port + offset, APP_ID, KEY, SECRET, cores, heap, List.of(),
                    List.of("--broker", broker, "--node-id", id, "--heartbeat-interval-ms", String.valueOf(heartbeatMs),
                            "--node-timeout-ms", String.valueOf(nodeTimeoutMs)), "realtime-bench-cluster-" + id);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "broker %s, %d subscribers on node b, nodes pinned to cores %s, heartbeat %d ms, "
                + "node timeout %d ms%n%n", o.broker().replaceAll("//[^@/]*@", "//***@"), o.subscribers(),
                o.cores() == null ? "(none)" : o.cores(), o.heartbeatMs(), o.nodeTimeoutMs());
        try (ServerProcess a = o.node("bench-a", 0); ServerProcess b = o.node("bench-b", 1)) {
            fanout(o, a, b);
            convergence(o, a);
        }
    }

    private static void fanout(Options o, ServerProcess a, ServerProcess b) throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        int n = o.subscribers();
        try (WsLoadClient client = new WsLoadClient("127.0.0.1", b.port, KEY, CHANNEL, Math.max(1, n / 50), latency)) {
            for (int done = 0; done < n; done += 500) {
                client.connect(Math.min(500, n - done));
                int target = Math.min(n, done + 500);
                Waits.until(() -> client.subscribed.get() + client.closed.get() >= target, 30_000);
            }
            if (client.subscribed.get() < n) {
                throw new IllegalStateException("only " + client.subscribed.get() + " of " + n + " subscribed");
            }
            Thread.sleep(1000);
            HttpPublisher viaA = new HttpPublisher("127.0.0.1", a.port, APP_ID, KEY, SECRET, CHANNEL);
            HttpPublisher viaB = new HttpPublisher("127.0.0.1", b.port, APP_ID, KEY, SECRET, CHANNEL);
            // the first events through a wait for b's broker subscription: not measured
            Step.run(viaA, 20, 2, client, a, b, latency, n);
            System.out.println("| published through | events/s | target deliveries/s | delivered msgs/s | p50 ms | p99 ms"
                    + " | node b CPU µs/msg | node a CPU % |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (int rate : o.rates()) {
                for (boolean cross : new boolean[] {false, true}) {
                    HttpPublisher publisher = cross ? viaA : viaB;
                    Step.run(publisher, rate, 2, client, a, b, latency, n);
                    Step s = Step.run(publisher, rate, o.seconds(), client, a, b, latency, n);
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.0f |%n",
                            cross ? "node a (across the broker)" : "node b (local, one-node path)", rate, (long) rate * n,
                            s.perSecond, s.p50, s.p99, s.bCpuPerMessage, s.aCpuPercent);
                }
            }
            if (viaA.failed.sum() + viaB.failed.sum() > 0) {
                System.out.println("\nwarning: " + (viaA.failed.sum() + viaB.failed.sum()) + " publishes failed");
            }
            if (client.closed.get() > 0) {
                System.out.println("\nwarning: " + client.closed.get() + " connections were closed by the server");
            }
        }
    }

    /** One measured step through {@link PublishStep}, with node a's CPU read around it. */
    private record Step(double perSecond, double p50, double p99, double bCpuPerMessage, double aCpuPercent) {
        static Step run(HttpPublisher publisher, int rate, int seconds, WsLoadClient client, ServerProcess a, ServerProcess b,
                        LatencyRecorder latency, int subscribers) throws Exception {
            long cpuA0 = a.cpuMicros();
            PublishStep.Result r = PublishStep.run(publisher, List.of(CHANNEL), rate, seconds, subscribers, client.frames::sum,
                    latency, b::cpuMicros, line -> { });
            long cpuA = a.cpuMicros() - cpuA0;
            return new Step(r.deliveredPerSecond(), r.p50Ms(), r.p99Ms(), r.serverCpuPerMessage(), cpuA / (r.seconds() * 1e4));
        }
    }

    /** Members on a third node, an observer on a: how long until the observer sees them all leave when c dies or stops. */
    private static void convergence(Options o, ServerProcess a) throws Exception {
        System.out.printf(Locale.ROOT, "%n| node c | members | first member_removed on a after | last member_removed on a after |%n");
        System.out.println("|---|---:|---:|---:|");
        for (boolean crash : new boolean[] {true, false}) {
            String channel = "presence-bench-" + (crash ? "kill" : "stop");
            try (PresenceClients observer = new PresenceClients(KEY, SECRET, channel);
                 PresenceClients members = new PresenceClients(KEY, SECRET, channel)) {
                ServerProcess c = o.node("bench-c", 2);
                try {
                    observer.join(a.port, "observer");
                    Waits.until(() -> observer.subscribed.get() == 1, 10_000);
                    for (int i = 0; i < o.members(); i++) {
                        members.join(c.port, "member-" + i);
                    }
                    Waits.until(() -> members.subscribed.get() >= o.members(), 30_000);
                    if (members.subscribed.get() < o.members()) {
                        throw new IllegalStateException(members.subscribed.get() + " of " + o.members() + " members subscribed"
                                + " (a presence channel takes Limits.DEFAULT_MAX_PRESENCE_MEMBERS = 100 users, the observer included)");
                    }
                    Waits.until(() -> observer.added.size() >= o.members(), 30_000);
                    if (observer.added.size() < o.members()) {
                        throw new IllegalStateException("the observer saw " + observer.added.size() + " of " + o.members() + " members join");
                    }
                    Thread.sleep(2 * o.heartbeatMs()); // a few heartbeats in a steady state
                    long t0 = System.nanoTime();
                    if (crash) {
                        c.kill();
                    } else {
                        c.close();
                    }
                    Waits.until(() -> observer.removed.size() >= o.members(), o.nodeTimeoutMs() + 30_000);
                    if (observer.removed.size() < o.members()) {
                        throw new IllegalStateException("the observer saw " + observer.removed.size() + " of " + o.members() + " members leave");
                    }
                    long first = observer.removed.stream().mapToLong(Long::longValue).min().orElseThrow() - t0;
                    long last = observer.removed.stream().mapToLong(Long::longValue).max().orElseThrow() - t0;
                    System.out.printf(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms |%n", crash ? "killed (SIGKILL)" : "stopped (SIGTERM)",
                            o.members(), first / 1e6, last / 1e6);
                } finally {
                    c.close();
                }
            }
        }
    }

}
