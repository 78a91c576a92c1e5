package dev.realtime.spring.autoconfigure;

import dev.realtime.websocket.JakartaWebSocketTransport;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;

/**
 * Adds the WebSocket endpoint {@code /app/{key}} to the servlet container's Jakarta WebSocket
 * {@code ServerContainer} (what Spring's {@code ServerEndpointExporter} does for endpoint beans, without
 * making the endpoint a bean another exporter would register twice).
 */
final class WebSocketEndpointRegistrar implements ServletContextAware, SmartInitializingSingleton {
    private final JakartaWebSocketTransport transport;
    private ServletContext servletContext;

    WebSocketEndpointRegistrar(JakartaWebSocketTransport transport) {
        this.transport = transport;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (servletContext == null) {
            return; // not in a servlet container (a mock web environment): nothing to mount
        }
        Object container = servletContext.getAttribute(ServerContainer.class.getName());
        if (!(container instanceof ServerContainer server)) {
            throw new RealtimeConfigurationException("The servlet container has no Jakarta WebSocket support, so the "
                    + "realtime WebSocket endpoint " + JakartaWebSocketTransport.PATH + " cannot be served.",
                    "Use a container with it (embedded Tomcat has it with tomcat-embed-websocket, which the starter brings), "
                            + "or set realtime.websocket.enabled=false to serve only the HTTP fallbacks.", null);
        }
        try {
            server.addEndpoint(transport.endpointConfig());
        } catch (DeploymentException e) {
            throw new RealtimeConfigurationException("The realtime WebSocket endpoint cannot be added: " + e.getMessage(),
                    "Check that no other WebSocket endpoint is mapped to " + JakartaWebSocketTransport.PATH + ".", e);
        }
    }
}
