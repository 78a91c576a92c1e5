package dev.realtime.bench.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code compare}: fanout, ramp and idle against every target, and one summary with the ratios ours/peer. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "fanout, ramp (at once) and idle against ours, soketi, socketio and floor; a summary with ratios ours/peer.")
final class CompareCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--subscribers", defaultValue = "1000", description = "fanout subscribers (default ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", split = ",", paramLabel = "DELIVERIES_PER_S", description = "fanout steps (default as fanout)")
    List<Integer> rates;

    @Option(names = "--ramp-connections", defaultValue = "10000", description = "clients connecting at once (default ${DEFAULT-VALUE}); 0 skips")
    int rampConnections;

    @Option(names = "--steady-ramp", defaultValue = "0", description = "also a steady ramp at this many connects/s (e.g. 1000); 0 skips")
    int steadyRamp;

    @Option(names = "--ramp-warmup", paramLabel = "N", defaultValue = "30000",
            description = "also each ramp again on a fresh server that N clients connected to and left first (the ramp's"
                    + " --warmup-connections; default ${DEFAULT-VALUE}, enough for the JVM's JIT to finish the connect path):"
                    + " a reconnect storm after a network blip rather than after a deploy; 0 skips")
    int rampWarmup;

    @Option(names = "--idle-connections", defaultValue = "10000", description = "idle connections (default ${DEFAULT-VALUE}); 0 skips")
    int idleConnections;

    @Option(names = "--with-channels", description = "also 1 000 channels × 10 subscribers")
    boolean withChannels;

    @Override
    public Integer call() throws Exception {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--target")) {
            options.targets = List.of("ours", "soketi", "socketio", "floor");
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--repeat")) {
            options.repeat = 3; // the headline ratios: each target's median of three steps, taken in turn
        }
        String load = BenchCli.loadAverage();
        Progress progress = new Progress();
        StringBuilder md = new StringBuilder("\nRatios are ours/peer: below 1 we use less CPU, time or memory (or, for delivered"
                + " msgs/s, deliver less). Ratios leave out refused and noisy steps (see the status column).\n");

        ResultTable fanout = FanoutScenario.run(options, 1, subscribers, rates == null ? BenchCli.defaultRates() : rates, progress);
        Path fanoutBase = BenchCli.write(options, "fanout", "fanout: " + subscribers + " subscribers on one channel", fanout, load);
        List<Path> charts = Charts.fanout(fanout, fanoutBase);
        md.append("\n## Fan-out: ").append(subscribers).append(" subscribers on one channel\n\n").append(fanout.toMarkdown())
                .append("\nServer CPU µs per delivered message:\n\n")
                .append(Ratios.byKey(fanout, "offered_per_s", "server_cpu_us_per_msg").toMarkdown())
                .append("\np99 publish-to-receive, ms (the floor's: from the start of an event's sweep of writes to its own C reader's"
                        + " read of each frame, with no HTTP publish before it):\n\n")
                .append(Ratios.byKey(fanout, "offered_per_s", "p99_ms").toMarkdown())
                .append("\nSaturation (the highest delivered msgs/s of a clean step; \"≥\" marks a target none of whose clean"
                        + " steps saturated — it kept up wherever it was measured, its steps above refused or not offered — and"
                        + " its ratios are bounds):\n\n").append(Ratios.saturation(fanout).toMarkdown()).append('\n');
        for (Path chart : charts) {
            md.append("![").append(chart.getFileName()).append("](").append(chart.getFileName()).append(")\n");
        }
        if (withChannels) {
            ResultTable channels = FanoutScenario.run(options, 1000, 10, List.of(10_000, 20_000, 40_000, 80_000), progress);
            BenchCli.write(options, "channels", "channels: 1000 × 10", channels, load);
            md.append("\n## 1 000 channels × 10 subscribers\n\n").append(channels.toMarkdown())
                    .append("\nServer CPU µs per delivered message:\n\n")
                    .append(Ratios.byKey(channels, "offered_per_s", "server_cpu_us_per_msg").toMarkdown());
        }
        for (int warmup : rampWarmup > 0 ? new int[] {0, rampWarmup} : new int[] {0}) {
            for (int perSecond : steadyRamp > 0 ? new int[] {0, steadyRamp} : new int[] {0}) {
                if (rampConnections > 0) {
                    ResultTable ramp = RampScenario.run(options, rampConnections, perSecond, warmup, 180, progress);
                    BenchCli.write(options, "ramp", "ramp", ramp, load);
                    md.append("\n## Ramp: ").append(rampConnections)
                            .append(perSecond == 0 ? " clients at once" : " clients at " + perSecond + "/s")
                            .append(warmup == 0 ? ", cold server" : ", after " + warmup + " clients came and went")
                            .append("\n\n").append(ramp.toMarkdown()).append("\nSeconds until all subscribed:\n\n")
                            .append(Ratios.byKey(ramp, "per_second", "seconds_to_all_subscribed").toMarkdown())
                            .append("\nServer CPU, ms:\n\n")
                            .append(Ratios.byKey(ramp, "per_second", "server_cpu_ms").toMarkdown());
                }
            }
        }
        if (idleConnections > 0) {
            ResultTable idle = IdleScenario.run(options, idleConnections, progress);
            BenchCli.write(options, "idle", "idle", idle, load);
            md.append("\n## Idle memory at ").append(idleConnections).append(" subscribed connections\n\n").append(idle.toMarkdown())
                    .append("\nRSS growth per connection, KB:\n\n").append(Ratios.byKey(idle, "connections", "rss_kb_per_conn").toMarkdown());
        }
        md.append("\nload average at the end: ").append(BenchCli.loadAverage()).append('\n');
        Path summary = options.out.resolve("compare-" + BenchOptions.timestamp() + ".md");
        // the preamble last, so its "after" load average is the one at the end of the run
        md.insert(0, BenchCli.preamble("Side by side: " + String.join(", ", options.targets), options, load));
        Files.writeString(summary, md.toString(), StandardCharsets.UTF_8);
        System.out.println("\nwrote " + summary);
        return 0;
    }
}
