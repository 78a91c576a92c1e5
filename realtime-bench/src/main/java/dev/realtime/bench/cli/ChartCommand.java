package dev.realtime.bench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chart}: the PNG charts of a fanout or channels CSV, again (e.g. after editing out a run). */
@Command(name = "chart", mixinStandardHelpOptions = true, description = "PNG charts from a fanout/channels CSV.")
final class ChartCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CSV", description = "a fanout-*.csv or channels-*.csv")
    Path csv;

    @Override
    public Integer call() throws Exception {
        String name = csv.toString();
        Path base = Path.of(name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name);
        Charts.fanout(ResultTable.read(csv), base).forEach(p -> System.out.println("wrote " + p));
        return 0;
    }
}
