package dev.realtime.websocket;

import dev.realtime.spi.OutboundStats;
import dev.realtime.spi.Transport;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.server.ServerContainer;
import java.io.File;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/** The transport contract against {@link JakartaWebSocketTransport} in embedded Tomcat 10.1 (what Spring Boot runs). */
class JakartaTomcatTransportTest extends WebSocketTransportContract {
    private Tomcat tomcat;

    @Override
    protected Transport newTransport(String... allowedOrigins) {
        return JakartaWebSocketTransport.builder().allowedOrigins(allowedOrigins).build();
    }

    @Override
    protected Transport newTransport(java.time.Duration idleTimeout) {
        return JakartaWebSocketTransport.builder().idleTimeout(idleTimeout).build();
    }

    @Override
    protected boolean containerMayDropInvalidUtf8WithoutACloseFrame() {
        return true; // Tomcat closes the socket right after its 1007 frame, which the client may not read
    }

    @Override
    protected OutboundStats stats(Transport transport) {
        return ((JakartaWebSocketTransport) transport).outboundStats();
    }

    @Override
    protected int startContainer(Transport transport) throws Exception {
        tomcat = new Tomcat();
        File base = Files.createTempDirectory("tomcat").toFile();
        base.deleteOnExit();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        // Tomcat's WsFilter only sees requests that map to some servlet.
        Tomcat.addServlet(context, "default", new HttpServlet() { });
        context.addServletMappingDecoded("/", "default");
        context.addServletContainerInitializer(new WsSci(), null);
        // Runs after WsSci (initializers run in the order added), once the ServerContainer exists.
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(((JakartaWebSocketTransport) transport).endpointConfig());
            } catch (jakarta.websocket.DeploymentException e) {
                throw new jakarta.servlet.ServletException(e);
            }
        }, null);
        tomcat.start();
        return connector.getLocalPort();
    }

    @Override
    protected void stopContainer() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
