package dev.realtime.bench.cli;

import dev.realtime.bench.ws.HttpPublisher;
import dev.realtime.bench.ws.LatencyRecorder;
import dev.realtime.bench.ws.PublishStep;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Subscribers on channels, events published through the HTTP API at stepped delivery rates, one target
 * after the other. One channel of N is the {@code fanout} scenario; 1 000 × 10 is {@code channels}.
 */
final class FanoutScenario {
    static final List<String> COLUMNS = List.of("target", "subscribers", "channels", "offered_per_s", "events_per_s",
            "delivered_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_msg", "server_cpu_pct", "load_cpu_pct", "other_cpu_pct", "status");
    /** Above this share of a core used by other processes during a step, the step is marked noisy. */
    private static final double NOISY = 25;
    /** Below this share of the offered rate a step counts as saturated. */
    private static final double SATURATED = 0.9;

    private FanoutScenario() {
    }

    static ResultTable run(BenchOptions o, int channelCount, int perChannel, List<Integer> rates, Progress progress) {
        ResultTable table = new ResultTable(COLUMNS);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            channels.add(channelCount == 1 ? "bench" : "bench-" + i);
        }
        for (String name : o.targets) {
            try {
                if (name.equals("floor")) {
                    floor(o, channelCount * perChannel, rates, table, progress);
                } else {
                    server(o, name, channels, perChannel, rates, table, progress);
                }
            } catch (Exception e) {
                progress.done(name, "failed: " + e);
                table.add(name, channelCount * perChannel, channelCount, "", "", "", "", "", "", "", "", "", "error: " + e.getMessage());
            }
        }
        return table;
    }

    private static void server(BenchOptions o, String name, List<String> channels, int perChannel, List<Integer> rates,
                               ResultTable table, Progress progress) throws Exception {
        int subscribers = channels.size() * perChannel;
        LatencyRecorder latency = new LatencyRecorder();
        try (Target target = o.start(name);
             WsLoadClient client = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, channels.get(0),
                     Math.max(1, subscribers / 50), latency);
             HttpPublisher publisher = new HttpPublisher("127.0.0.1", target.publishPort(), Target.APP_ID, Target.KEY, Target.SECRET,
                     channels.get(0))) {
            int ok = Connector.subscribeAll(client, channels, perChannel, progress, name);
            if (ok < subscribers) {
                throw new IllegalStateException("only " + ok + " of " + subscribers + " subscribed (" + client.closed.get()
                        + " failed, the last: " + client.lastError + ")");
            }
            warmUpApi(o, publisher, client, latency, target, progress, name);
            if (o.warmup > 0) {
                PublishStep.run(publisher, channels, eventsPerSecond(warmupRate(o.warmupRate, rates), perChannel), o.warmup, perChannel,
                        client.frames::sum, latency, target::cpuMicros, line -> progress.line(name, "warm-up " + line));
                quiesce(client, 60); // a peer the warm-up saturated drains its backlog first
            }
            int saturatedSteps = 0;
            for (int rate : rates) {
                int events = eventsPerSecond(rate, perChannel);
                long failed0 = publisher.failed.sum() + publisher.skipped.sum();
                Quiet.await(o, progress, name);
                long publishing0 = target.publishingNodeCpuMicros();
                long jit0 = target.jitCpuMicros();
                PublishStep.Result r = PublishStep.run(publisher, channels, events, o.duration, perChannel, client.frames::sum,
                        latency, target::cpuMicros, line -> progress.line(name, line));
                long jit = jit0 < 0 ? -1 : Math.max(0, target.jitCpuMicros() - jit0);
                long publishing = publishing0 < 0 ? -1 : target.publishingNodeCpuMicros() - publishing0;
                long failed = publisher.failed.sum() + publisher.skipped.sum() - failed0;
                String note = Target.jitNote(jit, r.serverCpuMicros()) + (publishing < 0 ? "" : String.format(java.util.Locale.ROOT,
                        "; publishing node at %.0f%% of a core", publishing / (r.seconds() * 1e4)))
                        + (failed > 0 ? "; " + failed + " publishes failed or not sent (HTTP API backlogged)" : "")
                        + (client.closed.get() > 0 ? "; the server closed " + client.closed.get() + " connections" : "");
                String status = add(o, table, name, subscribers, channels.size(), (long) events * perChannel, r, note);
                progress.done(name, status(r, (long) events * perChannel) + " → " + status);
                saturatedSteps = status.startsWith("saturated") ? saturatedSteps + 1 : 0;
                if (client.closed.get() > 0 || saturatedSteps == 2) {
                    break; // past saturation twice, or subscribers gone: more load shows nothing new
                }
                quiesce(client);
            }
        }
    }

    /** A channel nobody subscribes to: publishing to it runs the HTTP API and no fan-out. */
    static final String UNHEARD = "bench-warmup-api";
    static final int API_WARMUP_PER_SECOND = 2_000;

    /** {@code --warmup-publishes} events to {@link #UNHEARD} at {@link #API_WARMUP_PER_SECOND}. */
    static void warmUpApi(BenchOptions o, HttpPublisher publisher, WsLoadClient client, LatencyRecorder latency, Target target,
                          Progress progress, String name) throws Exception {
        int seconds = apiWarmupSeconds(o.warmupPublishes);
        if (seconds > 0) {
            PublishStep.run(publisher, List.of(UNHEARD), API_WARMUP_PER_SECOND, seconds, 0, client.frames::sum, latency,
                    target::cpuMicros, line -> progress.line(name, "warming the HTTP API: " + line));
        }
    }

    /** The warm-up's deliveries/s: {@code --warmup-rate}, or the highest step's rate if lower. */
    static int warmupRate(int asked, List<Integer> rates) {
        int highest = rates.stream().mapToInt(Integer::intValue).max().orElse(asked);
        return Math.max(1, Math.min(asked, highest));
    }

    static int apiWarmupSeconds(int publishes) {
        return publishes <= 0 ? 0 : Math.max(1, (publishes + API_WARMUP_PER_SECOND - 1) / API_WARMUP_PER_SECOND);
    }

    private static void floor(BenchOptions o, int connections, List<Integer> rates, ResultTable table, Progress progress)
            throws Exception {
        int saturatedSteps = 0;
        for (int rate : rates) {
            // every delivery is one write: the channel layout does not matter to the floor
            int events = eventsPerSecond(rate, connections);
            Quiet.await(o, progress, "floor");
            progress.line("floor", rate + " deliveries/s for " + o.duration + " s");
            PublishStep.Result r = FloorRunner.step(o, connections, events, o.duration);
            String status = add(o, table, "floor", connections, 1, (long) events * connections, r, "");
            progress.done("floor", status(r, (long) events * connections) + " → " + status);
            saturatedSteps = status.startsWith("saturated") ? saturatedSteps + 1 : 0;
            if (saturatedSteps == 2) {
                break;
            }
        }
    }

    /** Waits (10 s at most) until no more frames arrive, so a backlog of one step is not counted in the next. */
    private static void quiesce(WsLoadClient client) throws InterruptedException {
        quiesce(client, 10);
    }

    private static void quiesce(WsLoadClient client, int maxSeconds) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < maxSeconds * 4 && client.frames.sum() != last; i++) {
            last = client.frames.sum();
            Thread.sleep(250);
        }
    }

    static int eventsPerSecond(int deliveriesPerSecond, int perEvent) {
        return Math.max(1, Math.round(deliveriesPerSecond / (float) perEvent));
    }

    /** Adds the row; a step where the load generator was too busy is refused: its figures would measure the generator. */
    private static String add(BenchOptions o, ResultTable table, String name, int subscribers, int channels, long offered,
                              PublishStep.Result r, String note) {
        double load = r.loadCpuPercent();
        double other = r.otherCpuPercent();
        if (other > NOISY) {
            note += String.format(java.util.Locale.ROOT, "; noisy: other processes used %.0f%% of a core", other);
        }
        if (load > o.maxLoadCpu) {
            String status = String.format(java.util.Locale.ROOT, "refused: load generator at %.0f%% of its core (saw %.0f msgs/s)",
                    load, r.deliveredPerSecond()) + note;
            table.add(name, subscribers, channels, offered, r.eventsPerSecond(), "", "", "", "", "", load, other, status);
            return status;
        }
        String status = (r.deliveredPerSecond() < SATURATED * offered ? "saturated" : "ok") + note;
        table.add(name, subscribers, channels, offered, r.eventsPerSecond(), r.deliveredPerSecond(), r.p50Ms(), r.p99Ms(),
                r.serverCpuPerMessage(), r.serverCpuPercent(), load, other, status);
        return status;
    }

    private static String status(PublishStep.Result r, long offered) {
        return String.format(java.util.Locale.ROOT, "offered %,d/s: delivered %,.0f/s, p99 %.1f ms, server %.2f µs/msg (%.0f%%), load %.0f%%, others %.0f%%",
                offered, r.deliveredPerSecond(), r.p99Ms(), r.serverCpuPerMessage(), r.serverCpuPercent(), r.loadCpuPercent(),
                r.otherCpuPercent());
    }
}
