package dev.realtime.bench.cli;

import dev.realtime.bench.ws.LatencyRecorder;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/**
 * Connection ramp: N clients connecting and subscribing, all at once or at a steady rate per second;
 * the time from the first connect until the last subscription succeeded, and the server CPU it took.
 */
final class RampScenario {
    static final List<String> COLUMNS = List.of("target", "connections", "per_second", "warmed_up_with", "seconds_to_all_subscribed",
            "subscribed", "closed", "server_cpu_ms", "status");
    /** After a warm-up, the server counts as settled once it uses less than this share of a core. */
    private static final double SETTLED_PERCENT = 5;

    private RampScenario() {
    }

    /**
     * {@code perSecond} 0: every connect at once. {@code warmupConnections} above 0: that many clients first
     * connect and subscribe the same way and go (unmeasured; in rounds of at most {@code connections}), as on
     * a server that has been up a while (a reconnect storm after a network blip rather than after a deploy).
     */
    static ResultTable run(BenchOptions o, int connections, int perSecond, int warmupConnections, int timeoutSeconds,
                           Progress progress) {
        ResultTable table = new ResultTable(COLUMNS);
        for (String name : o.targets) {
            if (name.equals("floor")) {
                continue; // the floor writes frames; it has no handshake to ramp
            }
            try (Quiet.Waited quiet = Quiet.before(o, progress, name);
                 Target target = o.start(name)) {
                for (int round : warmupRounds(warmupConnections, connections)) {
                    try (WsLoadClient warm = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, "bench",
                            Integer.MAX_VALUE, new LatencyRecorder())) {
                        ramp(warm, round, perSecond, timeoutSeconds, progress, name + " warm-up");
                    }
                    settle(target, progress, name);
                }
                try (WsLoadClient client = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, "bench",
                        Integer.MAX_VALUE, new LatencyRecorder())) {
                    measure(target, client, name, connections, perSecond, warmupConnections, timeoutSeconds, table, progress);
                }
            } catch (Exception e) {
                progress.done(name, "failed: " + e);
                table.add(name, connections, perSecond, warmupConnections, "", "", "", "", "error: " + e.getMessage());
            }
        }
        return table;
    }

    private static void measure(Target target, WsLoadClient client, String name, int connections, int perSecond,
                                int warmupConnections, int timeoutSeconds, ResultTable table, Progress progress) throws Exception {
        long cpu0 = target.cpuMicros();
        long jit0 = target.jitCpuMicros();
        long start = System.nanoTime();
        ramp(client, connections, perSecond, timeoutSeconds, progress, name);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = target.cpuMicros();
        long jit = jit0 < 0 ? -1 : Math.max(0, target.jitCpuMicros() - jit0);
        int subscribed = client.subscribed.get();
        String status = (subscribed >= connections ? "ok"
                : client.closed.get() > 0 ? client.closed.get() + " connections failed, the last: " + client.lastError
                : "incomplete after " + timeoutSeconds + " s") + Target.jitNote(jit, cpu0 < 0 ? -1 : cpu - cpu0);
        table.add(name, connections, perSecond <= 0 ? "at once" : perSecond, warmupConnections,
                subscribed >= connections ? seconds : Double.NaN,
                subscribed, client.closed.get(), cpu0 < 0 ? Double.NaN : (cpu - cpu0) / 1000.0, status);
        progress.done(name, String.format(java.util.Locale.ROOT, "%d of %d subscribed in %.2f s (%s)", subscribed,
                connections, seconds, status));
    }

    /** The warm-up in rounds of at most the measured ramp's size: no more sockets open at once than it opens. */
    static List<Integer> warmupRounds(int warmupConnections, int connections) {
        List<Integer> rounds = new java.util.ArrayList<>();
        for (int left = warmupConnections; left > 0; left -= Math.max(1, connections)) {
            rounds.add(Math.min(left, Math.max(1, connections)));
        }
        return rounds;
    }

    /** Connects {@code connections} clients (at once, or {@code perSecond}) until all subscribed, failed or timed out. */
    private static void ramp(WsLoadClient client, int connections, int perSecond, int timeoutSeconds, Progress progress,
                             String name) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        int requested = 0;
        long nextReport = 0;
        while (System.nanoTime() < deadline && client.subscribed.get() + client.closed.get() < connections) {
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // at once, or what the steady rate allows by now (in 10 ms slices)
            int due = perSecond <= 0 ? connections : (int) Math.min(connections, elapsedMs * perSecond / 1000);
            if (due > requested) {
                client.connect(due - requested);
                requested = due;
            }
            if (elapsedMs >= nextReport) {
                progress.line(name, String.format(java.util.Locale.ROOT, "ramp: %d requested, %d subscribed, %d closed, %d s",
                        requested, client.subscribed.get(), client.closed.get(), elapsedMs / 1000));
                nextReport += 1000;
            }
            Thread.sleep(perSecond <= 0 ? 5 : 10);
        }
    }

    /** After the warm-up clients went: waits (60 s at most) until the server has cleaned up after them. */
    private static void settle(Target target, Progress progress, String name) throws Exception {
        for (int i = 0; i < 60; i++) {
            long cpu0 = target.cpuMicros();
            Thread.sleep(1000);
            long used = target.cpuMicros() - cpu0;
            if (cpu0 < 0 || used < SETTLED_PERCENT * 10_000) {
                return;
            }
            progress.line(name, String.format(java.util.Locale.ROOT, "after the warm-up: server at %.0f%% of a core", used / 1e4));
        }
    }
}
