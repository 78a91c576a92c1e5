package dev.realtime.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ramp}: how long N clients take to connect and subscribe, all at once or at a steady rate. */
@Command(name = "ramp", mixinStandardHelpOptions = true,
        description = "N clients connect and subscribe (at once, or --per-second); time until all are subscribed.")
final class RampCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = {"--connections", "--subscribers"}, defaultValue = "10000", description = "clients (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--per-second", defaultValue = "0", description = "a steady ramp of this many connects per second; 0: all at once")
    int perSecond;

    @Option(names = "--warmup-connections", paramLabel = "N", defaultValue = "0",
            description = "before measuring, N clients connect and subscribe the same way and go, unmeasured: the ramp of a server"
                    + " that has been up a while (after a network blip) rather than one just started (after a deploy); default"
                    + " ${DEFAULT-VALUE}: cold")
    int warmupConnections;

    @Option(names = "--timeout", defaultValue = "180", description = "give up after this many seconds (default ${DEFAULT-VALUE})")
    int timeout;

    @Override
    public Integer call() throws Exception {
        String load = BenchCli.loadAverage();
        ResultTable table = RampScenario.run(options, connections, perSecond, warmupConnections, timeout, new Progress());
        BenchCli.write(options, "ramp", "ramp: " + connections + " clients " + (perSecond <= 0 ? "at once" : "at " + perSecond + "/s")
                + (warmupConnections > 0 ? ", after a warm-up of " + warmupConnections : ""),
                table, load);
        return 0;
    }
}
