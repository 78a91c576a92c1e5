package dev.realtime.bench.cli;

import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Two nodes of one server linked through Redis, both pinned where a single server would be: the
 * subscribers connect to node b, events are published to node a's HTTP API and cross the broker.
 * The measured CPU is node b's (the one that delivers); node a's is read separately.
 */
final class TwoNodes implements Target {
    static final int OURS_A = 6103;
    static final int OURS_B = 6105;
    static final int SOKETI_A = 6003;
    static final int SOKETI_B = 6005;

    private final String name;
    private final Target a;
    private final Target b;

    private TwoNodes(String name, Target a, Target b) {
        this.name = name;
        this.a = a;
        this.b = b;
    }

    /** Ours: two standalone jars with {@code --broker redis://host:port}. */
    static TwoNodes ours(BenchOptions o) throws Exception {
        String broker = "redis://" + o.redis;
        return pair("ours-2nodes", new OursTarget(o, "bench-a", OURS_A, broker),
                () -> new OursTarget(o, "bench-b", OURS_B, broker));
    }

    /** Soketi: two processes with its redis adapter. */
    static TwoNodes soketi(BenchOptions o) throws Exception {
        int colon = o.redis.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(o.redis.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--redis must be HOST:PORT, got " + o.redis);
        }
        String host = o.redis.substring(0, Math.max(colon, 0));
        return pair("soketi-2nodes", NodeTarget.soketiNode(o, "soketi-a", SOKETI_A, host, port),
                () -> NodeTarget.soketiNode(o, "soketi-b", SOKETI_B, host, port));
    }

    /** Node a, then node b; node a is stopped again when node b does not start. */
    private static TwoNodes pair(String name, Target a, Callable<Target> b) throws Exception {
        try {
            return new TwoNodes(name, a, b.call());
        } catch (Exception e) {
            a.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return b.port();
    }

    @Override
    public int publishPort() {
        return a.port();
    }

    @Override
    public WsLoadClient.Dialect dialect() {
        return b.dialect();
    }

    @Override
    public long pid() {
        return b.pid();
    }

    @Override
    public List<Long> startedPids() {
        return List.of(a.pid(), b.pid());
    }

    @Override
    public long publishingNodeCpuMicros() throws Exception {
        return a.cpuMicros();
    }

    @Override
    public long liveHeapKb() throws Exception {
        return b.liveHeapKb();
    }

    @Override
    public void close() throws Exception {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
