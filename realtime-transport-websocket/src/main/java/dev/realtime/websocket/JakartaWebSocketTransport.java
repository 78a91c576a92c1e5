package dev.realtime.websocket;

import dev.realtime.spi.DaemonThreads;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket transport as a Jakarta WebSocket (JSR 356) endpoint at {@code /app/{key}},
 * portable to any Jakarta container (Tomcat, Spring Boot, Jetty ee10, Undertow). Mount it on the
 * container's {@code ServerContainer} once the node is built:
 * <pre>{@code
 * JakartaWebSocketTransport ws = JakartaWebSocketTransport.builder().build();
 * Realtime realtime = Realtime.builder().app(id, key, secret).transport(ws).build();
 * ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
 * container.addEndpoint(ws.endpointConfig());
 * }</pre>
 * (In Spring Boot: expose {@code ws.endpointConfig()} as a {@code ServerEndpointConfig} bean next to a
 * {@code ServerEndpointExporter}; on Jetty ee10: {@code JakartaWebSocketServletContainerInitializer.configure(context,
 * (sc, container) -> container.addEndpoint(ws.endpointConfig()))}.)
 */
public final class JakartaWebSocketTransport extends WebSocketTransportBase {
    /** The endpoint's path template. */
    public static final String PATH = "/app/{key}";

    private final Set<JakartaConnection> connections = ConcurrentHashMap.newKeySet();
    /** Runs Jakarta's blocking ping and close calls; idle threads die, so an idle node holds none. */
    private final ExecutorService control;

    private JakartaWebSocketTransport(Builder b) {
        super(b, "realtime-jakarta-ws-writer");
        this.control = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.factory("realtime-jakarta-ws-control"));
    }

    /** A transport with the defaults: every origin allowed, the node's message size limit. */
    public JakartaWebSocketTransport() {
        this(builder());
    }

    /** Options: allowed origins, max message size, idle timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to register with {@code ServerContainer.addEndpoint(…)}: path {@link #PATH}, origin check, one endpoint per connection. */
    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(JakartaEndpoint.class, PATH)
                .configurator(new Configurator())
                .build();
    }

    /** Connections currently open on this transport. */
    public int connectionCount() {
        return connections.size();
    }

    ExecutorService control() {
        return control;
    }

    void opened(JakartaConnection c) {
        connections.add(c);
    }

    void closed(JakartaConnection c) {
        connections.remove(c);
    }

    /** Creates endpoints bound to this transport and applies the origin allow-list (403 otherwise). */
    private final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new JakartaEndpoint(JakartaWebSocketTransport.this));
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return origins().allows(originHeaderValue);
        }
    }

    /** Builds a {@link JakartaWebSocketTransport}. */
    public static final class Builder extends WebSocketTransportBase.Options<Builder> {
        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** The transport; pass it to {@code Realtime.builder().transport(…)}, then mount {@link #endpointConfig()}. */
        public JakartaWebSocketTransport build() {
            return new JakartaWebSocketTransport(this);
        }
    }
}
