package dev.realtime.bench.cli;

import dev.realtime.bench.ws.LatencyRecorder;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/** Idle memory: RSS (and, for us, live heap after a full GC) before and after N subscribed idle connections. */
final class IdleScenario {
    static final List<String> COLUMNS = List.of("target", "connections", "subscribed", "rss_before_kb", "rss_after_kb",
            "rss_kb_per_conn", "heap_before_kb", "heap_after_kb", "heap_kb_per_conn", "status");
    /** Lets allocations made while connecting settle (and Node's GC run) before reading memory. */
    private static final long SETTLE_MS = 3000;

    private IdleScenario() {
    }

    static ResultTable run(BenchOptions o, int connections, Progress progress) {
        ResultTable table = new ResultTable(COLUMNS);
        for (String name : o.targets) {
            if (name.equals("floor")) {
                continue; // the floor holds no per-connection state of its own to compare
            }
            try (Quiet.Waited quiet = Quiet.before(o, progress, name);
                 Target target = o.start(name);
                 WsLoadClient client = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, "bench",
                         Integer.MAX_VALUE, new LatencyRecorder())) {
                Thread.sleep(SETTLE_MS);
                long heap0 = target.liveHeapKb();
                long rss0 = target.rssKb();
                int ok = Connector.subscribeAll(client, List.of("bench"), connections, progress, name);
                Thread.sleep(SETTLE_MS);
                long heap1 = target.liveHeapKb();
                long rss1 = target.rssKb();
                double rssPer = rss0 < 0 || ok == 0 ? Double.NaN : (rss1 - rss0) / (double) ok;
                double heapPer = heap0 < 0 || ok == 0 ? Double.NaN : (heap1 - heap0) / (double) ok;
                String status = ok >= connections ? "ok" : "only " + ok + " subscribed; the last failure: " + client.lastError;
                table.add(name, connections, ok, rss0, rss1, rssPer, heap0 < 0 ? "" : heap0, heap1 < 0 ? "" : heap1, heapPer, status);
                progress.done(name, String.format(java.util.Locale.ROOT, "%d idle: RSS %.1f KB/conn, live heap %s KB/conn",
                        ok, rssPer, Double.isNaN(heapPer) ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", heapPer)));
            } catch (Exception e) {
                progress.done(name, "failed: " + e);
                table.add(name, connections, "", "", "", "", "", "", "", "error: " + e.getMessage());
            }
        }
        return table;
    }
}
