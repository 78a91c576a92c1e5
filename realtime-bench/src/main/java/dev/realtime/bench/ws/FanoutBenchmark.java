package dev.realtime.bench.ws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end fan-out: N subscribers on one channel over WebSocket, or over pusher-js's HTTP fallbacks
 * ({@code --transport xhr_streaming} or {@code xhr_polling}), events published through the HTTP API at
 * stepped rates, against the standalone server in its own JVM. Prints a Markdown table:
 * delivered msgs/s, p50/p99 publish-to-receive latency, server CPU-µs per delivered message, and
 * live heap / RSS per idle subscribed connection.
 *
 * <pre>java -cp realtime-bench/target/benchmarks.jar dev.realtime.bench.ws.FanoutBenchmark \
 *     --subscribers 1000 --rates 50,100,200,400,800 [--transport ws|xhr_streaming|xhr_polling] [--server-cores 0] [--seconds 10]
 *     [--server-jvm-arg -XX:StartFlightRecording=filename=/tmp/server.jfr,settings=profile]</pre>
 */
public final class FanoutBenchmark {
    private FanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = 1000;
        List<Integer> rates = List.of(50, 100, 200, 400);
        int seconds = 10;
        int port = 6101;
        String cores = "0";
        String heap = "1g";
        int sampled = 50;
        Path jar = Path.of("realtime-server/target/realtime-server.jar");
        List<String> jvmArgs = new ArrayList<>();
        String transport = "ws";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                case "--rates" -> rates = parseRates(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--server-cores" -> cores = args[++i].equals("all") ? null : args[i];
                case "--heap" -> heap = args[++i];
                case "--sampled" -> sampled = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--server-jvm-arg" -> jvmArgs.add(args[++i]);
                case "--transport" -> transport = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --subscribers N --rates a,b,c --transport ws|xhr_streaming|xhr_polling --seconds S --port P"
                        + " --server-cores 0|all --heap 1g --sampled N --jar PATH --server-jvm-arg ARG");
            }
        }
        String appId = "bench";
        String key = "bench-key";
        String secret = "bench-secret";
        String channel = "bench";
        final int n = subscribers;
        try (ServerProcess server = new ServerProcess(jar, port, appId, key, secret, cores, heap, jvmArgs)) {
            long heap0 = server.liveHeapKb();
            long rss0 = server.rssKb();
            LatencyRecorder latency = new LatencyRecorder();
            try (LoadClient client = transport.equals("ws")
                    ? LoadClient.of(new WsLoadClient("127.0.0.1", port, key, channel, Math.max(1, subscribers / sampled), latency))
                    : LoadClient.of(new HttpLoadClient("127.0.0.1", port, key, transport, channel, Math.max(1, subscribers / sampled), latency))) {
                System.out.println("transport: " + transport);
                for (int done = 0; done < n; done += 500) {
                    client.connect(Math.min(500, n - done));
                    int target = Math.min(n, done + 500);
                    Waits.until(() -> client.subscribed() + client.closed() >= target, 30_000);
                }
                Waits.until(() -> client.subscribed() + client.closed() >= n, 60_000);
                if (client.subscribed() < subscribers) {
                    throw new IllegalStateException("only " + client.subscribed() + " of " + subscribers + " subscribed ("
                            + client.closed() + " closed)");
                }
                Thread.sleep(1000);
                long heapN = server.liveHeapKb();
                long rssN = server.rssKb();
                System.out.printf(Locale.ROOT, "%n%d subscribers: live heap %.1f KB and RSS %.1f KB per idle subscribed connection"
                        + " (heap %d→%d KB, RSS %d→%d KB)%n%n", subscribers, (heapN - heap0) / (double) subscribers,
                        (rssN - rss0) / (double) subscribers, heap0, heapN, rss0, rssN);

                HttpPublisher publisher = new HttpPublisher("127.0.0.1", port, appId, key, secret, channel);
                System.out.println("| subscribers | events/s | target deliveries/s | delivered msgs/s | p50 ms | p99 ms | server CPU µs/msg | server CPU % |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (int rate : rates) {
                    runStep(publisher, rate, 2, client, server, latency, subscribers, false);
                    runStep(publisher, rate, seconds, client, server, latency, subscribers, true);
                }
                if (client.closed() > 0) {
                    System.out.println("\nwarning: " + client.closed() + " connections were closed by the server");
                }
            }
        }
    }

    private static void runStep(HttpPublisher publisher, int rate, int seconds, LoadClient client, ServerProcess server,
                                LatencyRecorder latency, int subscribers, boolean report) throws Exception {
        PublishStep.Result r = PublishStep.run(publisher, List.of("bench"), rate, seconds, subscribers, client::frames,
                latency, server::cpuMicros, line -> { });
        if (report) {
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.0f |%n", subscribers, rate,
                    (long) rate * subscribers, r.deliveredPerSecond(), r.p50Ms(), r.p99Ms(), r.serverCpuPerMessage(),
                    r.serverCpuPercent());
        }
    }

    /** The load generator of one transport, as the benchmark reads it. */
    private interface LoadClient extends AutoCloseable {
        void connect(int n);

        int subscribed();

        int closed();

        long frames();

        @Override
        void close();

        static LoadClient of(WsLoadClient ws) {
            return new LoadClient() {
                public void connect(int n) { ws.connect(n); }
                public int subscribed() { return ws.subscribed.get(); }
                public int closed() { return ws.closed.get(); }
                public long frames() { return ws.frames.sum(); }
                public void close() { ws.close(); }
            };
        }

        static LoadClient of(HttpLoadClient http) {
            return new LoadClient() {
                public void connect(int n) { http.connect(n); }
                public int subscribed() { return http.subscribed.get(); }
                public int closed() { return http.closed.get(); }
                public long frames() { return http.frames.sum(); }
                public void close() { http.close(); }
            };
        }
    }

    private static List<Integer> parseRates(String s) {
        List<Integer> list = new ArrayList<>();
        for (String part : s.split(",")) {
            list.add(Integer.parseInt(part.trim()));
        }
        return list;
    }

}
