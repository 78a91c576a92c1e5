package dev.realtime.websocket;

import dev.realtime.spi.TransportContext;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

/**
 * Upgrades WebSocket requests to {@code /app/{key}} and declines (returns false for) everything
 * else, so that it can sit first in a {@code Handler.Sequence} in front of the server's other handlers.
 */
final class JettyUpgradeHandler extends Handler.Abstract.NonBlocking {
    private final JettyWebSocketTransport transport;
    private final WebSocketMappings mappings;
    private final Negotiator negotiator = new Negotiator();
    private static final HttpField UPGRADE_WEBSOCKET = new PreEncodedHttpField(HttpHeader.UPGRADE, "websocket");
    private static final HttpField CONNECTION_UPGRADE = new PreEncodedHttpField(HttpHeader.CONNECTION, "Upgrade");

    JettyUpgradeHandler(JettyWebSocketTransport transport, WebSocketComponents components) {
        this.transport = transport;
        // Used only for its handshaker: the path matching is ours, so nothing else gets a 404 from it.
        this.mappings = new WebSocketMappings(components);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (appKey(Request.getPathInContext(request)) == null) {
            return false;
        }
        if (unsupportedVersion(request)) {
            // RFC 6455 §4.4: 426 with the version this server speaks, so the client can retry with it.
            response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
            Response.writeError(request, response, callback, HttpStatus.UPGRADE_REQUIRED_426,
                    "unsupported Sec-WebSocket-Version: this server speaks WebSocket version 13");
            return true;
        }
        if (transport.compression()) {
            // permessage-deflate asked for: Jetty's WebSocket session negotiates and runs the extension.
            // False when the request is not a WebSocket upgrade: then it is someone else's.
            return mappings.upgrade(negotiator, request, response, callback, null);
        }
        return upgradeToWire(request, response, callback);
    }

    /**
     * The RFC 6455 handshake (§4.2) for a {@link WireConnection}: no extension and no subprotocol is
     * selected, so the response is the 101 with the accept key. False when the request is not a
     * WebSocket upgrade (then it is someone else's), as Jetty's handshaker answers.
     */
    private boolean upgradeToWire(Request request, Response response, Callback callback) {
        HttpFields headers = request.getHeaders();
        if (!HttpMethod.GET.is(request.getMethod())
                || !HttpVersion.HTTP_1_1.is(request.getConnectionMetaData().getProtocol())
                || !"websocket".equalsIgnoreCase(headers.get(HttpHeader.UPGRADE))
                || !headers.contains(HttpHeader.CONNECTION, "upgrade")) {
            return false;
        }
        String key = headers.get(HttpHeader.SEC_WEBSOCKET_KEY);
        if (key == null || key.isBlank()) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "missing request header Sec-WebSocket-Key");
            return true;
        }
        TransportContext context = transport.context();
        if (context == null) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "realtime transport not started");
            return true;
        }
        if (!transport.origins().allows(headers.get(HttpHeader.ORIGIN))) {
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return true;
        }
        String appKey = appKey(Request.getPathInContext(request));
        String protocol = Request.extractQueryParameters(request).getValue("protocol");
        ConnectionMetaData meta = request.getConnectionMetaData();
        WireConnection connection = transport.newWireConnection(meta.getConnection().getEndPoint(), meta.getConnector(),
                context, appKey, protocol, Request.getRemoteAddr(request));
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        HttpFields.Mutable out = response.getHeaders();
        out.put(UPGRADE_WEBSOCKET);
        out.put(CONNECTION_UPGRADE);
        out.put(HttpHeader.SEC_WEBSOCKET_ACCEPT, WireFrames.acceptKey(key));
        // Jetty swaps the endpoint's connection for ours once the 101 is written.
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        response.write(true, null, callback);
        return true;
    }

    /** A WebSocket upgrade (HTTP/1.1 {@code Upgrade: websocket}) that asks for no version or one other than 13. */
    static boolean unsupportedVersion(Request request) {
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return false;
        }
        String version = request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION);
        return version == null || !version.trim().equals("13");
    }

    /** The key in {@code /app/{key}}, or null when the path is not one of ours. */
    static String appKey(String path) {
        if (path == null || !path.startsWith(JettyWebSocketTransport.PATH_PREFIX)) {
            return null;
        }
        String key = path.substring(JettyWebSocketTransport.PATH_PREFIX.length());
        return key.isEmpty() || key.indexOf('/') >= 0 ? null : key;
    }

    /** Decides on an upgrade already recognised as ours, and configures the new session. */
    private final class Negotiator extends WebSocketNegotiator.AbstractNegotiator {
        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            TransportContext context = transport.context();
            if (context == null) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "realtime transport not started");
                return null;
            }
            if (!transport.origins().allows(request.getHeaders().get(HttpHeader.ORIGIN))) {
                Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
                return null;
            }
            if (!transport.compression()) {
                // permessage-deflate compresses every frame once per connection: a fan-out to N
                // browsers would pay N compressions per event, so it is off unless asked for.
                response.setExtensions(java.util.List.of());
            }
            String key = appKey(Request.getPathInContext(request));
            String protocol = Request.extractQueryParameters(request).getValue("protocol");
            return transport.newConnection(context, key, protocol, Request.getRemoteAddr(request));
        }

        @Override
        public void customize(Configuration configuration) {
            long max = transport.maxMessageBytes();
            // Auto-fragmenting stays on: without it Jetty refuses outbound frames over maxFrameSize
            // (a large presence roster). Inbound, JettyConnection caps the reassembled message (1009).
            configuration.setMaxFrameSize(max);
            configuration.setMaxTextMessageSize(max);
            configuration.setMaxBinaryMessageSize(max);
            configuration.setIdleTimeout(transport.idleTimeout());
        }
    }
}
