package dev.realtime.bench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fanout}: N subscribers on one channel, stepped delivery rates; CSV, Markdown and two PNG charts. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "N subscribers on one channel, events published through the HTTP API at stepped delivery rates.")
final class FanoutCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--subscribers", defaultValue = "1000", description = "subscribers on the channel (default ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", split = ",", paramLabel = "DELIVERIES_PER_S",
            description = "offered deliveries/s per step (events/s × subscribers); default 25000,50000,…,1600000;"
                    + " stops after two saturated steps")
    List<Integer> rates;

    @Override
    public Integer call() throws Exception {
        String load = BenchCli.loadAverage();
        ResultTable table = FanoutScenario.run(options, 1, subscribers, rates == null ? BenchCli.defaultRates() : rates, new Progress());
        Path base = BenchCli.write(options, "fanout", "fanout: " + subscribers + " subscribers on one channel", table, load);
        Charts.fanout(table, base).forEach(p -> System.out.println("wrote " + p));
        return 0;
    }
}
