package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar realtime-bench/target/realtime-bench.jar <scenario> [options]}: the servers side by side
 * under the same load generator. Run it under {@code taskset -c 1} with the servers on core 0 (the default).
 */
@Command(name = "realtime-bench", mixinStandardHelpOptions = true, version = "realtime-bench 0.1",
        description = "Benchmarks realtime's standalone server side by side with Soketi, Socket.IO and the C floor.",
        subcommands = {FanoutCommand.class, ChannelsCommand.class, RampCommand.class, IdleCommand.class,
                CompareCommand.class, ChartCommand.class, CommandLine.HelpCommand.class})
public final class BenchCli implements Callable<Integer> {
    /** The command line as typed, for the reports. */
    static String commandLine = "";

    public static void main(String[] args) {
        commandLine = "java -jar realtime-bench/target/realtime-bench.jar " + String.join(" ", args);
        System.exit(new CommandLine(new BenchCli()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** What a reader needs to judge the figures: the machine, the load on it, the pinning, the command. */
    static String preamble(String title, BenchOptions o, String loadBefore) {
        String cpus = ProcStat.allowedCpus();
        return "# " + title + "\n\n"
                + "- command: `" + commandLine + "`\n"
                + "- machine: " + cpuModel() + ", " + cpuCount() + " CPUs, Linux "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + "\n"
                + "- server cores: " + (o.cores() == null ? "unpinned" : o.cores()) + "; load generator may run on: "
                + (cpus.isEmpty() ? "?" : cpus) + (cpus.contains(o.serverCores) || o.cores() == null ? " (shared with the server!)" : "") + "\n"
                + "- load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAverage() + "\n"
                + "- steps of " + o.duration + " s after " + o.warmup + " s of warm-up at " + o.warmupRate + " deliveries/s (or the highest"
                + " step's rate if lower)"
                + (o.warmupPublishes > 0 ? " (and before it " + o.warmupPublishes + " publishes at 2 000/s to a channel nobody"
                + " subscribes to, warming every server's HTTP API)" : "") + "; a step where the load generator used more than "
                + (int) o.maxLoadCpu + " % of a core is refused\n"
                + "- fan-out steps: " + (o.sequential ? "one target after the other" : "each rate on every target in turn")
                + (o.repeat > 1 ? ", " + o.repeat + " times; the ratio tables and charts take each target's median" : "") + "\n";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** CPUs of the machine: availableProcessors() counts only those taskset left to this process. */
    private static long cpuCount() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown CPU";
    }

    /** Writes the table as CSV and Markdown under --out and prints the Markdown; returns the base path. */
    static Path write(BenchOptions o, String scenario, String title, ResultTable table, String loadBefore) throws IOException {
        Path base = o.out.resolve(scenario + "-" + BenchOptions.timestamp());
        table.write(base, preamble(title, o, loadBefore));
        System.out.println();
        System.out.println(table.toMarkdown());
        System.out.println("wrote " + base + ".csv and .md");
        return base;
    }

    static List<Integer> defaultRates() {
        return List.of(25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000);
    }
}
