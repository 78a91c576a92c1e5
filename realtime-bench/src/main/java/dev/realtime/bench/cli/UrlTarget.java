package dev.realtime.bench.cli;

import dev.realtime.bench.ws.WsLoadClient;
import java.net.URI;

/**
 * A server already running on this machine, given as {@code pusher://127.0.0.1:6001} (or ws://, http://)
 * or {@code socketio://127.0.0.1:6002}; {@code ?pid=N} lets the tool read its CPU and memory.
 * Only loopback: the load must never leave the machine.
 */
final class UrlTarget implements Target {
    private final String name;
    private final int port;
    private final WsLoadClient.Dialect dialect;
    private final long pid;

    UrlTarget(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            throw new IllegalArgumentException("only 127.0.0.1 may be load-tested, not " + host);
        }
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("the URL needs a port: " + url);
        }
        this.name = url;
        this.port = uri.getPort();
        this.dialect = "socketio".equals(uri.getScheme()) ? WsLoadClient.Dialect.SOCKET_IO : WsLoadClient.Dialect.PUSHER;
        long p = -1;
        if (uri.getQuery() != null && uri.getQuery().startsWith("pid=")) {
            p = Long.parseLong(uri.getQuery().substring(4));
        }
        this.pid = p;
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
        return pid;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
