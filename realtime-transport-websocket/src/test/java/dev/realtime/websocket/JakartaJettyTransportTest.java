package dev.realtime.websocket;

import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The transport contract against {@link JakartaWebSocketTransport} in embedded Jetty 12 (ee10). */
class JakartaJettyTransportTest extends WebSocketTransportContract {
    private Server server;

    @Override
    protected Transport newTransport(String... allowedOrigins) {
        return JakartaWebSocketTransport.builder().allowedOrigins(allowedOrigins).build();
    }

    @Override
    protected Transport newTransport(java.time.Duration idleTimeout) {
        return JakartaWebSocketTransport.builder().idleTimeout(idleTimeout).build();
    }

    @Override
    protected OutboundStats stats(Transport transport) {
        return ((JakartaWebSocketTransport) transport).outboundStats();
    }

    @Override
    protected int startContainer(Transport transport) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> container.addEndpoint(((JakartaWebSocketTransport) transport).endpointConfig()));
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    protected void stopContainer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
