package dev.realtime.bench.cli;

import dev.realtime.bench.ws.WsLoadClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Node peer installed by peers/install.sh (Soketi, or Socket.IO behind its thin adapter), pinned with taskset. */
final class NodeTarget implements Target {
    private final String name;
    private final int port;
    private final WsLoadClient.Dialect dialect;
    private final Process process;
    private final Path log;

    private NodeTarget(String name, int port, WsLoadClient.Dialect dialect, BenchOptions o, List<String> nodeArgs) throws Exception {
        this(name, port, dialect, o, nodeArgs, Map.of());
    }

    private NodeTarget(String name, int port, WsLoadClient.Dialect dialect, BenchOptions o, List<String> nodeArgs,
                       Map<String, String> env) throws Exception {
        this.name = name;
        this.port = port;
        this.dialect = dialect;
        Path modules = o.peers.resolve(".work/node_modules");
        if (!Files.isDirectory(modules)) {
            throw new IllegalStateException(modules + " is missing: run realtime-bench/peers/install.sh first");
        }
        this.log = Path.of(System.getProperty("java.io.tmpdir"), "realtime-bench-" + name + ".log");
        // Node keeps the soft limit on open files; raise it to the hard one for 10 000 connections.
        // sh and taskset exec, so the pid we hold is node's.
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -n $(ulimit -Hn); exec \"$@\"", "sh"));
        if (o.cores() != null) {
            cmd.addAll(List.of("taskset", "-c", o.cores()));
        }
        cmd.add("node");
        cmd.addAll(nodeArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NODE_PATH", modules.toString());
        pb.environment().putAll(env);
        process = pb.start();
        awaitPort();
    }

    /** Soketi 1.6.1 with peers/soketi.json (the bench app, limits off), on port 6001. */
    static NodeTarget soketi(BenchOptions o) throws Exception {
        Path bin = o.peers.resolve(".work/node_modules/@soketi/soketi/bin/server.js");
        return new NodeTarget("soketi", BenchOptions.SOKETI_PORT, WsLoadClient.Dialect.PUSHER, o,
                List.of(bin.toString(), "start", "--config=" + o.peers.resolve("soketi.json")));
    }

    /**
     * One node of a two-node Soketi on {@code port}, linked through Redis with Soketi's own redis adapter
     * (its environment overrides peers/soketi.json).
     */
    static NodeTarget soketiNode(BenchOptions o, String name, int port, String redisHost, int redisPort) throws Exception {
        Path bin = o.peers.resolve(".work/node_modules/@soketi/soketi/bin/server.js");
        return new NodeTarget(name, port, WsLoadClient.Dialect.PUSHER, o,
                List.of(bin.toString(), "start", "--config=" + o.peers.resolve("soketi.json")),
                Map.of("SOKETI_PORT", String.valueOf(port), "SOKETI_ADAPTER_DRIVER", "redis",
                        "SOKETI_DB_REDIS_HOST", redisHost, "SOKETI_DB_REDIS_PORT", String.valueOf(redisPort)));
    }

    /** Socket.IO 4.8 behind peers/socketio-server.js, on port 6002. */
    static NodeTarget socketIo(BenchOptions o) throws Exception {
        return new NodeTarget("socketio", BenchOptions.SOCKETIO_PORT, WsLoadClient.Dialect.SOCKET_IO, o,
                List.of(o.peers.resolve("socketio-server.js").toString(), String.valueOf(BenchOptions.SOCKETIO_PORT)));
    }

    private void awaitPort() throws Exception {
        for (int i = 0; i < 300 && process.isAlive(); i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on " + port + "; see " + log);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public WsLoadClient.Dialect dialect() {
        return dialect;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
