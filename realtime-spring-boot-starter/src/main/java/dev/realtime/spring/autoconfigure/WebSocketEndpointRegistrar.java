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
            return; // not in a web application context: nothing to mount
        }
        Object container = servletContext.getAttribute(ServerContainer.class.getName());
        if (!(container instanceof ServerContainer server)) {
            // A mock servlet context (@SpringBootTest's default MOCK environment) has none either: failing there
            // would break every such test of the application, so say it loudly and serve the HTTP fallbacks.
            RealtimeNodeFactory.LOG.warn("the servlet context has no Jakarta WebSocket ServerContainer, so the realtime "
                    + "WebSocket endpoint {} is not served (pusher-js falls back to xhr_streaming / xhr_polling); in a real "
                    + "container add its WebSocket support (embedded Tomcat: tomcat-embed-websocket, which the starter "
                    + "brings), or set realtime.websocket.enabled=false to silence this", JakartaWebSocketTransport.PATH);
            return;
        }
        try {
            server.addEndpoint(transport.endpointConfig());
        } catch (DeploymentException e) {
            throw new RealtimeConfigurationException("The realtime WebSocket endpoint cannot be added: " + e.getMessage(),
                    "Check that no other WebSocket endpoint is mapped to " + JakartaWebSocketTransport.PATH + ".", e);
        }
    }
}
