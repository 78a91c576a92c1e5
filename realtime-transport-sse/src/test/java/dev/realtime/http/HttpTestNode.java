package dev.realtime.http;

import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.RealtimeListener;
import dev.realtime.User;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;

/**
 * A node with an {@link HttpTransport} mounted on a random port, on a Jetty 12 core server (its
 * handler) or in embedded Tomcat (its servlet, at {@code /pusher/*} with async support), for the
 * transport's tests: {@code Authorization: Bearer <id>} (or {@code ?token=<id>}) is user {@code <id>};
 * private and presence channels are allowed unless their name contains {@code forbidden}.
 */
public final class HttpTestNode implements AutoCloseable {
    public static final String APP_ID = "http-test";
    public static final String APP_KEY = "http-test-key";
    public static final String APP_SECRET = "http-test-secret";

    /** Where the transport is mounted. */
    public enum Container { JETTY, TOMCAT }

    private final Realtime realtime;
    private final HttpTransport transport;
    private final Server server;
    private final ServerConnector connector;
    private final org.apache.catalina.startup.Tomcat tomcat;
    private final int tomcatPort;

    private HttpTestNode(Container container, HttpTransport transport, RealtimeListener listener,
                         UnaryOperator<dev.realtime.RealtimeBuilder> tune) {
        this.transport = transport;
        dev.realtime.RealtimeBuilder b = Realtime.builder()
                .app(APP_ID, APP_KEY, APP_SECRET)
                .authenticator(request -> {
                    String token = request.bearerToken() != null ? request.bearerToken() : request.parameter("token");
                    return token == null ? null : User.of(token, Map.of("name", "User " + token));
                })
                .authorize("private-*", (user, channel) -> !channel.name().contains("forbidden"))
                .presence("presence-*", (user, channel) -> channel.name().contains("forbidden")
                        ? null : Member.of(user.id(), Map.of("name", user.info().get("name"))))
                .transport(transport);
        if (listener != null) {
            b.listener(listener);
        }
        this.realtime = tune.apply(b).build();
        if (container == Container.TOMCAT) {
            this.server = null;
            this.connector = null;
            try {
                this.tomcat = startTomcat(transport);
            } catch (Exception e) {
                realtime.close();
                throw new IllegalStateException(e);
            }
            this.tomcatPort = tomcat.getConnector().getLocalPort();
            return;
        }
        this.tomcat = null;
        this.tomcatPort = 0;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(dev.realtime.http.JettyHttpHandler.of(transport), new DefaultHandler(false, false)));
        try {
            server.start();
        } catch (Exception e) {
            realtime.close();
            throw new IllegalStateException(e);
        }
    }

    /** The servlet in embedded Tomcat 10.1 (what Spring Boot runs), mapped as the README says. */
    private static org.apache.catalina.startup.Tomcat startTomcat(HttpTransport transport) throws Exception {
        org.apache.catalina.startup.Tomcat t = new org.apache.catalina.startup.Tomcat();
        java.io.File base = java.nio.file.Files.createTempDirectory("tomcat").toFile();
        base.deleteOnExit();
        t.setBaseDir(base.getAbsolutePath());
        org.apache.catalina.connector.Connector c = new org.apache.catalina.connector.Connector();
        c.setPort(0);
        c.setProperty("address", "127.0.0.1");
        t.setConnector(c);
        org.apache.catalina.Context context = t.addContext("", base.getAbsolutePath());
        org.apache.catalina.Wrapper servlet = org.apache.catalina.startup.Tomcat.addServlet(context, "realtime", HttpTransportServlet.of(transport));
        servlet.setAsyncSupported(true);
        context.addServletMappingDecoded("/pusher/*", "realtime");
        t.start();
        return t;
    }

    /** A node serving {@code transport} on Jetty. */
    public static HttpTestNode start(HttpTransport transport) {
        return new HttpTestNode(Container.JETTY, transport, null, b -> b);
    }

    /** A node serving {@code transport} on Jetty, with a listener and builder settings. */
    public static HttpTestNode start(HttpTransport transport, RealtimeListener listener,
                                     UnaryOperator<dev.realtime.RealtimeBuilder> tune) {
        return new HttpTestNode(Container.JETTY, transport, listener, tune);
    }

    /** A node serving {@code transport} in {@code container}, with a listener (or null) and builder settings. */
    public static HttpTestNode start(Container container, HttpTransport transport, RealtimeListener listener,
                                     UnaryOperator<dev.realtime.RealtimeBuilder> tune) {
        return new HttpTestNode(container, transport, listener, tune);
    }

    public Realtime realtime() {
        return realtime;
    }

    public HttpTransport transport() {
        return transport;
    }

    public int port() {
        return tomcat != null ? tomcatPort : connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT/pusher/app/KEY}. */
    public String base() {
        return "http://127.0.0.1:" + port() + "/pusher/app/" + APP_KEY;
    }

    @Override
    public void close() {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
                return;
            }
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            realtime.close();
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
