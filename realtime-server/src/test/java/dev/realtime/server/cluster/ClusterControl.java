package dev.realtime.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the Node cluster tests ask of the harness, over HTTP on loopback ({@code POST}, JSON body):
 * {@code /node/kill} (SIGKILL), {@code /node/stop} (SIGTERM), {@code /node/start}, {@code /node/pause}
 * (SIGSTOP), {@code /node/resume} (SIGCONT) with
 * {@code {"node":"a"|"b"}}, and {@code /broker/down}, {@code /broker/up}. Each answers 200 once done,
 * or 500 with the error (and the node's log when a node failed).
 */
final class ClusterControl implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, StandaloneNode> nodes;

    private interface Action {
        String run(StandaloneNode node) throws Exception;
    }

    ClusterControl(Map<String, StandaloneNode> nodes, ClusterBroker broker) throws IOException {
        this.nodes = nodes;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        nodeRoute("/node/kill", n -> {
            n.kill();
            return "killed " + n.nodeId();
        });
        nodeRoute("/node/stop", n -> {
            n.close();
            return "stopped " + n.nodeId();
        });
        nodeRoute("/node/start", n -> {
            n.start();
            return "started " + n.nodeId() + " on port " + n.port();
        });
        nodeRoute("/node/pause", n -> {
            n.pause();
            return "paused " + n.nodeId();
        });
        nodeRoute("/node/resume", n -> {
            n.resume();
            return "resumed " + n.nodeId();
        });
        server.createContext("/broker/down", exchange -> answer(exchange, null, () -> {
            broker.down();
            return broker.name() + " down";
        }));
        server.createContext("/broker/up", exchange -> answer(exchange, null, () -> {
            broker.up();
            return broker.name() + " up";
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void nodeRoute(String path, Action action) {
        server.createContext(path, exchange -> {
            StandaloneNode[] node = new StandaloneNode[1];
            answer(exchange, node, () -> {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String id = body.path("node").asText();
                node[0] = nodes.get(id);
                if (node[0] == null) {
                    throw new IllegalArgumentException("no node '" + id + "': " + nodes.keySet());
                }
                return action.run(node[0]);
            });
        });
    }

    private interface Call {
        String run() throws Exception;
    }

    private static void answer(HttpExchange exchange, StandaloneNode[] node, Call call) throws IOException {
        int status;
        String body;
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
                body = "POST only";
            } else {
                body = call.run();
                status = 200;
            }
        } catch (Exception e) {
            status = 500;
            body = e + (node != null && node[0] != null ? "\n---- log of " + node[0].nodeId() + ":\n" + node[0].logTail() : "");
            e.printStackTrace();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
