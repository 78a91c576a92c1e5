package dev.realtime.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code idle}: memory per idle subscribed connection (RSS growth, and our live heap after a full GC). */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "N idle subscribed connections: RSS growth per connection (and live heap per connection for ours).")
final class IdleCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = {"--connections", "--subscribers"}, defaultValue = "10000", description = "connections (default ${DEFAULT-VALUE})")
    int connections;

    @Override
    public Integer call() throws Exception {
        String load = BenchCli.loadAverage();
        ResultTable table = IdleScenario.run(options, connections, new Progress());
        BenchCli.write(options, "idle", "idle: memory at " + connections + " subscribed connections", table, load);
        return 0;
    }
}
