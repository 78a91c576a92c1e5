package dev.realtime.bench.cli;

import dev.realtime.bench.ws.LatencyRecorder;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/**
 * Connection ramp: N clients connecting and subscribing, all at once or at a steady rate per second;
 * the time from the first connect until the last subscription succeeded, and the server CPU it took.
 */
final class RampScenario {
    static final List<String> COLUMNS = List.of("target", "connections", "per_second", "seconds_to_all_subscribed",
            "subscribed", "closed", "server_cpu_ms", "status");

    private RampScenario() {
    }

    /** {@code perSecond} 0: every connect at once. */
    static ResultTable run(BenchOptions o, int connections, int perSecond, int timeoutSeconds, Progress progress) {
        ResultTable table = new ResultTable(COLUMNS);
        for (String name : o.targets) {
            if (name.equals("floor")) {
                continue; // the floor writes frames; it has no handshake to ramp
            }
            try (Quiet.Waited quiet = Quiet.before(o, progress, name);
                 Target target = o.start(name);
                 WsLoadClient client = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, "bench",
                         Integer.MAX_VALUE, new LatencyRecorder())) {
                long cpu0 = target.cpuMicros();
                long jit0 = target.jitCpuMicros();
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
                double seconds = (System.nanoTime() - start) / 1e9;
                long cpu = target.cpuMicros();
                long jit = jit0 < 0 ? -1 : Math.max(0, target.jitCpuMicros() - jit0);
                int subscribed = client.subscribed.get();
                String status = (subscribed >= connections ? "ok"
                        : client.closed.get() > 0 ? client.closed.get() + " connections failed, the last: " + client.lastError
                        : "incomplete after " + timeoutSeconds + " s") + Target.jitNote(jit, cpu0 < 0 ? -1 : cpu - cpu0);
                table.add(name, connections, perSecond <= 0 ? "at once" : perSecond, subscribed >= connections ? seconds : Double.NaN,
                        subscribed, client.closed.get(), cpu0 < 0 ? Double.NaN : (cpu - cpu0) / 1000.0, status);
                progress.done(name, String.format(java.util.Locale.ROOT, "%d of %d subscribed in %.2f s (%s)", subscribed,
                        connections, seconds, status));
            } catch (Exception e) {
                progress.done(name, "failed: " + e);
                table.add(name, connections, perSecond, "", "", "", "", "error: " + e.getMessage());
            }
        }
        return table;
    }
}
