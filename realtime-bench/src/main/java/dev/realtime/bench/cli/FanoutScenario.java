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
        int subscribers = channelCount * perChannel;
        boolean sequential = o.sequential || o.targets.size() < 2;
        long servers = o.targets.stream().filter(t -> !t.equals("floor")).count();
        long descriptors = maxOpenFiles();
        if (!sequential && !fitsOpenFiles(servers, subscribers, descriptors)) {
            progress.done("fanout", String.format(java.util.Locale.ROOT, "%d servers × %d subscribers open at once need more than"
                    + " this process's %d file descriptors (ulimit -n): one target after the other", servers, subscribers, descriptors));
            sequential = true;
        }
        if (sequential) {
            for (String name : o.targets) {
                // open and step record their own failures as rows
                try (Run run = open(o, name, channels, perChannel, rates, table, progress)) {
                    if (run != null) {
                        interleave(List.of(run), rates, o.repeat, Run::step);
                    }
                }
            }
            return table;
        }
        // Interleaved: every target started, subscribed and warmed up first, then each step measured on one
        // target after the other, so that the steps a ratio compares are seconds apart, not minutes.
        List<Run> runs = new ArrayList<>();
        try {
            for (String name : o.targets) {
                Run run = open(o, name, channels, perChannel, rates, table, progress);
                if (run != null) {
                    runs.add(run);
                }
            }
            interleave(runs, rates, o.repeat, Run::step);
        } finally {
            for (Run run : runs) {
                run.close();
            }
        }
        return table;
    }

    /** Descriptors beyond the subscribers' sockets: publishers, the JVM's own files, a target's pipes. */
    static final int FD_MARGIN = 1_000;

    /**
     * Whether {@code servers} targets' subscribers can all stay connected at once within {@code descriptors}
     * open files (unknown, -1: assume so).
     */
    static boolean fitsOpenFiles(long servers, int subscribers, long descriptors) {
        return descriptors <= 0 || servers * subscribers + FD_MARGIN <= descriptors;
    }

    /** This process's limit on open files, or -1 when the platform does not say. */
    static long maxOpenFiles() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * Each rate on every run in turn, {@code repeat} times (r1: a, b, c, a, b, c; r2: …); a run whose step
     * returns false gets no further step.
     */
    static <R> void interleave(List<R> runs, List<Integer> rates, int repeat, java.util.function.BiPredicate<R, Integer> step) {
        java.util.Set<R> over = new java.util.HashSet<>();
        for (int rate : rates) {
            for (int i = 0; i < Math.max(1, repeat); i++) {
                for (R run : runs) {
                    if (!over.contains(run) && !step.test(run, rate)) {
                        over.add(run);
                    }
                }
            }
        }
    }

    /** Starts, subscribes and warms up one target; null (and an error row) when that fails. */
    private static Run open(BenchOptions o, String name, List<String> channels, int perChannel, List<Integer> rates,
                            ResultTable table, Progress progress) {
        Run run = name.equals("floor") ? new FloorRun(o, channels.size() * perChannel, channels.size() == 1, table, progress)
                : new ServerRun(o, name, channels, perChannel, table, progress);
        try {
            run.open(rates);
            return run;
        } catch (Exception e) {
            run.close();
            failed(table, name, channels.size() * perChannel, channels.size(), progress, e);
            return null;
        }
    }

    private static void failed(ResultTable table, String name, int subscribers, int channels, Progress progress, Exception e) {
        progress.done(name, "failed: " + e);
        table.add(name, subscribers, channels, "", "", "", "", "", "", "", "", "", "error: " + e.getMessage());
    }

    /** One target through the steps: opened once, then measured step by step until it saturated twice or failed. */
    private abstract static class Run implements AutoCloseable {
        final BenchOptions o;
        final String name;
        final int subscribers;
        final int channels;
        final ResultTable table;
        final Progress progress;
        private int saturatedSteps;

        Run(BenchOptions o, String name, int subscribers, int channels, ResultTable table, Progress progress) {
            this.o = o;
            this.name = name;
            this.subscribers = subscribers;
            this.channels = channels;
            this.table = table;
            this.progress = progress;
        }

        void open(List<Integer> rates) throws Exception {
        }

        /** Measures one step and adds its row; false when no further step is worth running. */
        final boolean step(int rate) {
            try {
                String status = measure(rate);
                saturatedSteps = status.startsWith("saturated") ? saturatedSteps + 1 : 0;
                return saturatedSteps < 2 && more(); // past saturation twice: more load shows nothing new
            } catch (Exception e) {
                failed(table, name, subscribers, channels, progress, e);
                return false;
            }
        }

        /** Measures a step at {@code rate} deliveries/s, adds its row and returns its status. */
        abstract String measure(int rate) throws Exception;

        boolean more() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static final class ServerRun extends Run {
        private final List<String> channelNames;
        private final int perChannel;
        private final LatencyRecorder latency = new LatencyRecorder();
        private Target target;
        private WsLoadClient client;
        private HttpPublisher publisher;

        ServerRun(BenchOptions o, String name, List<String> channelNames, int perChannel, ResultTable table, Progress progress) {
            super(o, name, channelNames.size() * perChannel, channelNames.size(), table, progress);
            this.channelNames = channelNames;
            this.perChannel = perChannel;
        }

        @Override
        void open(List<Integer> rates) throws Exception {
            target = o.start(name);
            client = new WsLoadClient("127.0.0.1", target.port(), target.dialect(), Target.KEY, channelNames.get(0),
                    Math.max(1, subscribers / 50), latency);
            publisher = new HttpPublisher("127.0.0.1", target.publishPort(), Target.APP_ID, Target.KEY, Target.SECRET,
                    channelNames.get(0));
            int ok = Connector.subscribeAll(client, channelNames, perChannel, progress, name);
            if (ok < subscribers) {
                throw new IllegalStateException("only " + ok + " of " + subscribers + " subscribed (" + client.closed.get()
                        + " failed, the last: " + client.lastError + ")");
            }
            warmUpApi(o, publisher, client, latency, target, progress, name);
            if (o.warmup > 0) {
                PublishStep.run(publisher, channelNames, eventsPerSecond(warmupRate(o.warmupRate, rates), perChannel), o.warmup,
                        perChannel, client.frames::sum, latency, target::cpuMicros, line -> progress.line(name, "warm-up " + line));
                quiesce(client, 60); // a peer the warm-up saturated drains its backlog first
            }
        }

        @Override
        String measure(int rate) throws Exception {
            int events = eventsPerSecond(rate, perChannel);
            long failed0 = publisher.failed.sum() + publisher.skipped.sum();
            Quiet.await(o, progress, name);
            long publishing0 = target.publishingNodeCpuMicros();
            long jit0 = target.jitCpuMicros();
            PublishStep.Result r = PublishStep.run(publisher, channelNames, events, o.duration, perChannel, client.frames::sum,
                    latency, target::cpuMicros, line -> progress.line(name, line));
            long jit = jit0 < 0 ? -1 : Math.max(0, target.jitCpuMicros() - jit0);
            long publishing = publishing0 < 0 ? -1 : target.publishingNodeCpuMicros() - publishing0;
            long failed = publisher.failed.sum() + publisher.skipped.sum() - failed0;
            String note = Target.jitNote(jit, r.serverCpuMicros()) + (publishing < 0 ? "" : String.format(java.util.Locale.ROOT,
                    "; publishing node at %.0f%% of a core", publishing / (r.seconds() * 1e4)))
                    + (failed > 0 ? "; " + failed + " publishes failed or not sent (HTTP API backlogged)" : "")
                    + (client.closed.get() > 0 ? "; the server closed " + client.closed.get() + " connections" : "");
            String status = add(o, table, name, subscribers, channels, (long) events * perChannel, r, note);
            progress.done(name, status(r, (long) events * perChannel) + " → " + status);
            quiesce(client);
            return status;
        }

        @Override
        boolean more() {
            return client.closed.get() == 0; // subscribers gone: the next steps would measure fewer
        }

        @Override
        public void close() {
            for (AutoCloseable c : new AutoCloseable[] {publisher, client, target}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        progress.line(name, "closing: " + e);
                    }
                }
            }
        }
    }

    /**
     * The floor runs per step: nothing to open. Its latency is that of one event written to every connection,
     * which is the one-channel scenario's; with several channels (an event to a channel's few subscribers) it
     * would be a sweep of all of them, nothing like a server's, so it is left out there.
     */
    private static final class FloorRun extends Run {
        private final boolean timed;

        FloorRun(BenchOptions o, int connections, boolean timed, ResultTable table, Progress progress) {
            super(o, "floor", connections, 1, table, progress);
            this.timed = timed;
        }

        @Override
        String measure(int rate) throws Exception {
            // every delivery is one write: the channel layout does not matter to the floor
            int events = eventsPerSecond(rate, subscribers);
            Quiet.await(o, progress, "floor");
            progress.line("floor", rate + " deliveries/s for " + o.duration + " s");
            PublishStep.Result r = FloorRunner.step(o, subscribers, events, o.duration);
            if (!timed) {
                r = r.withoutLatency();
            }
            String status = add(o, table, "floor", subscribers, 1, (long) events * subscribers, r, "");
            progress.done("floor", status(r, (long) events * subscribers) + " → " + status);
            return status;
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
