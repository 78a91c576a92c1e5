package dev.realtime.server;

import dev.realtime.Realtime;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpTransport;
import dev.realtime.longpoll.LongPolling;
import dev.realtime.sse.Sse;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * The one place that knows the HTTP transports: it builds (or takes) the {@link HttpTransport}, starts
 * it on the node and gives the Jetty handler serving {@code /pusher/app/…} (streams, polls, sends).
 */
final class HttpMount {
    private final Realtime realtime;
    private final HttpTransport transport;
    private final Handler handler;

    private HttpMount(Realtime realtime, HttpTransport transport) {
        this.realtime = realtime;
        this.transport = transport;
        this.handler = dev.realtime.http.JettyHttpHandler.of(transport);
    }

    /** Starts {@code transport}, or a default one with the modes asked for, on {@code realtime}. */
    static HttpMount mount(Realtime realtime, HttpTransport transport, boolean sse, boolean longPolling) {
        HttpTransport http = transport;
        if (http == null) {
            List<HttpMode> modes = new ArrayList<>();
            if (sse) {
                modes.addAll(List.of(Sse.all()));
            }
            if (longPolling) {
                modes.addAll(List.of(LongPolling.all()));
            }
            http = HttpTransport.builder().modes(modes.toArray(HttpMode[]::new)).build();
        }
        realtime.addTransport(http);
        return new HttpMount(realtime, http);
    }

    Handler handler() {
        return handler;
    }

    HttpTransport transport() {
        return transport;
    }

    /** Closes the sessions (4200): held streams and polls get their close and end, so a graceful stop need not wait for them. */
    void closeSessions() {
        transport.closeSessions();
    }

    /** Takes the transport off the node, which ends the sessions left. */
    void stop() {
        realtime.removeTransport(transport);
    }
}
