package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ProcStat;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/** A server under test on 127.0.0.1: where to connect, what it speaks, and its process for /proc readings. */
public interface Target extends AutoCloseable {
    /** App credentials every target is configured with. */
    String APP_ID = "bench";
    String KEY = "bench-key";
    String SECRET = "bench-secret";

    String name();

    int port();

    /** Where events are published (the HTTP API); another node than {@link #port()}'s in a two-node target. */
    default int publishPort() {
        return port();
    }

    /** CPU so far in µs of the node that takes the publishes when it is not the measured one, else -1. */
    default long publishingNodeCpuMicros() throws Exception {
        return -1;
    }

    WsLoadClient.Dialect dialect();

    /** The server's pid, or -1 when it is not ours to see (a URL of a running server). */
    long pid();

    /** Every process this target started (a two-node target has two), for the run's shutdown hook. */
    default List<Long> startedPids() {
        return pid() > 0 ? List.of(pid()) : List.of();
    }

    /** User + system CPU so far in µs, or -1 when the pid is unknown. */
    default long cpuMicros() throws Exception {
        return pid() < 0 ? -1 : ProcStat.cpuMicros(pid());
    }

    /** CPU so far in µs of the server's JIT compiler threads, or -1 where there are none to see (Node, a URL). */
    default long jitCpuMicros() throws Exception {
        return -1;
    }

    /**
     * "; JIT: N% of the server's CPU" for a status column when the server's compiler threads are known,
     * else "": how much of a step's CPU was compilation rather than the work measured.
     */
    static String jitNote(long jitMicros, long serverMicros) {
        if (jitMicros < 0 || serverMicros <= 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "; JIT: %.0f%% of the server's CPU", 100.0 * jitMicros / serverMicros);
    }

    /** Resident memory in KB, or -1 when the pid is unknown. */
    default long rssKb() throws Exception {
        return pid() < 0 ? -1 : ProcStat.rssKb(pid());
    }

    /** Live heap after a full GC in KB, or -1 where there is no such thing to ask for (Node, a URL). */
    default long liveHeapKb() throws Exception {
        return -1;
    }

    @Override
    void close() throws Exception;
}
