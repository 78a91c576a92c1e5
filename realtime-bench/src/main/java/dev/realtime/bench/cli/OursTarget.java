package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ServerProcess;
import dev.realtime.bench.ws.WsLoadClient;

/** The standalone realtime-server jar, started in its own JVM and pinned with taskset. */
final class OursTarget implements Target {
    private final ServerProcess server;

    OursTarget(BenchOptions o) throws Exception {
        server = new ServerProcess(o.serverJar, BenchOptions.OURS_PORT, APP_ID, KEY, SECRET, o.cores(), o.heap, o.serverJvmArgs);
    }

    @Override
    public String name() {
        return "ours";
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
    public long liveHeapKb() throws Exception {
        return server.liveHeapKb();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
