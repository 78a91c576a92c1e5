package dev.realtime.bench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code channels}: many channels with a few subscribers each; every event goes to one channel, round-robin. */
@Command(name = "channels", mixinStandardHelpOptions = true,
        description = "C channels × S subscribers; events round-robin over the channels at stepped delivery rates.")
final class ChannelsCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--channels", defaultValue = "1000", description = "channels (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--subscribers", defaultValue = "10", description = "subscribers per channel (default ${DEFAULT-VALUE})")
    int perChannel;

    @Option(names = "--rate", split = ",", paramLabel = "DELIVERIES_PER_S",
            description = "offered deliveries/s per step; default 10000,20000,40000,80000 (each event is one HTTP publish)")
    List<Integer> rates;

    @Override
    public Integer call() throws Exception {
        String load = BenchCli.loadAverage();
        ResultTable table = FanoutScenario.run(options, channels, perChannel,
                rates == null ? List.of(10_000, 20_000, 40_000, 80_000) : rates, new Progress());
        Path base = BenchCli.write(options, "channels", "channels: " + channels + " channels × " + perChannel + " subscribers",
                table, load);
        Charts.fanout(table, base).forEach(p -> System.out.println("wrote " + p));
        return 0;
    }
}
