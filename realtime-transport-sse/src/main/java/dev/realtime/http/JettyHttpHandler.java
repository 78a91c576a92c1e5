package dev.realtime.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP transports on Jetty 12 core: serves {@code {path}/app/…} and declines (returns false for)
 * every other request, so it sits in a {@code Handler.Sequence} in front of other handlers. Nothing
 * here blocks; a held stream or poll holds no thread.
 */
public final class JettyHttpHandler extends Handler.Abstract.NonBlocking {
    private final String prefix;
    private final HttpDispatcher dispatcher;

    /**
     * A Jetty 12 core handler serving {@code transport}'s modes below its path ({@code /pusher/app/…} by
     * default) and declining every other request, for a {@code Handler.Sequence}. Needs jetty-server.
     */
    public static Handler of(HttpTransport transport) {
        return new JettyHttpHandler(transport.path(), transport.dispatcher());
    }

    JettyHttpHandler(String prefix, HttpDispatcher dispatcher) {
        this.prefix = prefix;
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path == null || !path.startsWith(prefix + "/app/")) {
            return false;
        }
        String below = path.substring(prefix.length());
        if (!dispatcher.serves(below)) {
            return false; // e.g. /app/{key} itself, the WebSocket endpoint when mounted at the root
        }
        dispatcher.handle(new JettyExchange(request, response, callback, below));
        return true;
    }
}
