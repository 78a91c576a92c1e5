package dev.realtime.example.social;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's command line: the flags ({@code --port 8080} or {@code --port=8080}) turned into the
 * Spring properties they set. Spring's own {@code --name.with.dots=value} arguments pass through unchanged.
 */
final class CommandLine {
    static final String USAGE = """
            usage: java -jar realtime-example-social.jar [--port 8080] [--db-url JDBC_URL] [--broker URI] [--node-id NAME]
                                                         [--seed-users N] [--seed-posts N]
              --port N          the HTTP port of the page, the API and the realtime endpoints (default 8080)
              --db-url URL      a JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/social?user=postgres
                                (default: H2 in a file under ./data)
              --broker URI      links app instances into one realtime cluster, e.g. redis://127.0.0.1:6379
              --node-id NAME    this instance's name in the cluster (default: a random one)
              --seed-users N    for benchmarks: add generated users up to N (password demo)
              --seed-posts N    for benchmarks: add generated posts up to N, spread over the last 4 hours
            Any Spring property may follow as --name=value (e.g. --realtime.websocket.enabled=false).""";

    private static final Map<String, String> FLAGS = Map.of(
            "port", "server.port",
            "db-url", "spring.datasource.url",
            "broker", "realtime.broker",
            "node-id", "realtime.node-id",
            "seed-users", "social.seed.users",
            "seed-posts", "social.seed.posts");
    private static final List<String> NUMERIC = List.of("port", "seed-users", "seed-posts");

    /** What the command line asks for: help, or the arguments to hand to Spring. */
    record Parsed(boolean help, List<String> springArgs) {
    }

    /** A command line that cannot be run; the message says which argument and why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private CommandLine() {
    }

    static Parsed parse(String... args) throws UsageException {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> passThrough = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(true, List.of());
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (!FLAGS.containsKey(name)) {
                if (name.contains(".") && eq > 0) {
                    passThrough.add(arg);
                    continue;
                }
                throw new UsageException("unknown option '--" + name + "'");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            if (value.isBlank()) {
                throw new UsageException("--" + name + " needs a value");
            }
            if (NUMERIC.contains(name) && !value.matches("\\d{1,9}")) {
                throw new UsageException("--" + name + " takes a number, not '" + value + "'");
            }
            properties.put(FLAGS.get(name), value);
        }
        List<String> springArgs = new ArrayList<>();
        properties.forEach((k, v) -> springArgs.add("--" + k + "=" + v));
        springArgs.addAll(passThrough);
        return new Parsed(false, List.copyOf(springArgs));
    }
}
