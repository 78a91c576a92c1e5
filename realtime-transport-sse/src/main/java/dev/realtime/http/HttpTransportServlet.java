package dev.realtime.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The HTTP transports as a Jakarta Servlet 6 servlet, for any container (Tomcat, Spring Boot, Jetty
 * ee10, Undertow). Map it to the path pusher-js uses ({@code /pusher/*} by default) with async support:
 * every request goes asynchronous with no container timeout, and is read and written with the
 * non-blocking I/O of Servlet 3.1, so a held stream or poll holds no thread.
 */
public final class HttpTransportServlet extends HttpServlet {
    private final transient HttpDispatcher dispatcher;

    /**
     * A servlet serving {@code transport}'s modes; map it to {@code /pusher/*} (the path pusher-js uses)
     * with async support on: {@code registration.setAsyncSupported(true)}. Needs the container's servlet API.
     */
    public static HttpServlet of(HttpTransport transport) {
        return new HttpTransportServlet(transport.dispatcher());
    }

    HttpTransportServlet(HttpDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || !dispatcher.serves(path)) {
            response.setStatus(404);
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"error\":\"no such path\"}");
            return;
        }
        if (!request.isAsyncSupported()) {
            response.setStatus(500);
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"error\":\"the realtime servlet needs async support: "
                    + "registration.setAsyncSupported(true) (and on every filter in front of it)\"}");
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the transport times its held responses itself
        dispatcher.handle(new ServletExchange(request, response, async, path));
    }
}
