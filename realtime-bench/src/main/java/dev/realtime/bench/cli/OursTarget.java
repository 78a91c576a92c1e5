package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ProcStat;
import dev.realtime.bench.ws.ServerProcess;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/** The standalone realtime-server jar, started in its own JVM and pinned with taskset. */
final class OursTarget implements Target {
    private final ServerProcess server;
    private final String name;

    OursTarget(BenchOptions o) throws Exception {
        server = new ServerProcess(o.serverJar, BenchOptions.OURS_PORT, APP_ID, KEY, SECRET, o.cores(), o.heap, o.serverJvmArgs);
        name = "ours";
    }

    /** One node of a two-node cluster linked by {@code brokerUri} (the standalone server's {@code --broker}). */
    OursTarget(BenchOptions o, String nodeId, int port, String brokerUri) throws Exception {
        server = new ServerProcess(o.serverJar, port, APP_ID, KEY, SECRET, o.cores(), o.heap, o.serverJvmArgs,
                List.of("--broker", brokerUri, "--node-id", nodeId), "realtime-bench-" + nodeId);
        name = nodeId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return server.port;
    }

    @Override
    public WsLoadClient.Dialect dialect() {
        return WsLoadClient.Dialect.PUSHER;
    }

    @Override
    public long pid() {
        return server.pid();
    }

    @Override
    public long jitCpuMicros() throws Exception {
        return ProcStat.jitCpuMicros(pid());
    }

    @Override
    public long liveHeapKb() throws Exception {
        return server.liveHeapKb();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
