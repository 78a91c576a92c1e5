package dev.realtime.http;

import dev.realtime.AuthRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * An {@link HttpExchange} over a Jetty 12 core request: reads with {@code read()}/{@code demand()},
 * writes with {@code Response.write}, completes the request's callback once at the end. Jetty's idle
 * timeout does not end a held response (the transport's own heartbeats and timeouts do).
 */
final class JettyExchange implements HttpExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String path;
    private final AtomicBoolean finished = new AtomicBoolean();
    private Fields query;

    JettyExchange(Request request, Response response, Callback callback, String path) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public synchronized String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    @Override
    public AuthRequest authRequest() {
        return new AuthRequest() {
            @Override
            public String header(String name) {
                return JettyExchange.this.header(name);
            }

            @Override
            public String cookie(String name) {
                for (HttpCookie cookie : Request.getCookies(request)) {
                    if (cookie.getName().equals(name)) {
                        return cookie.getValue();
                    }
                }
                return null;
            }

            @Override
            public String parameter(String name) {
                return query(name);
            }

            @Override
            public String remoteAddress() {
                return JettyExchange.this.remoteAddress();
            }
        };
    }

    @Override
    public void readBody(int maxBytes, BodyCallback body) {
        long length = request.getLength();
        if (length > maxBytes) {
            body.tooLarge();
            return;
        }
        new BodyRead(maxBytes, length, body).run();
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public void write(String text, boolean last, WriteCallback done) {
        if (finished.get()) {
            done.failed(new IllegalStateException("the exchange is finished"));
            return;
        }
        ByteBuffer bytes = text.isEmpty() ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        response.write(last, bytes, Callback.from(() -> {
            if (last && finished.compareAndSet(false, true)) {
                callback.succeeded();
            }
            done.succeeded();
        }, x -> {
            if (finished.compareAndSet(false, true)) {
                callback.failed(x);
            }
            done.failed(x);
        }));
    }

    @Override
    public void end() {
        if (finished.compareAndSet(false, true)) {
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (finished.compareAndSet(false, true)) {
            callback.failed(cause);
        }
    }

    @Override
    public void onGone(Consumer<Throwable> listener) {
        request.addFailureListener(listener);
        // Held responses are timed by the transport (heartbeats, poll timeout, session timeout), not by Jetty's idle timeout.
        request.addIdleTimeoutListener(timeout -> false);
    }

    /** Reads the body chunk by chunk as Jetty has it, never waiting on a thread. */
    private final class BodyRead implements Runnable {
        private final int max;
        private final BodyCallback body;
        private byte[] bytes;
        private int size;

        BodyRead(int max, long length, BodyCallback body) {
            this.max = max;
            this.body = body;
            this.bytes = new byte[(int) Math.max(0, Math.min(length, max))];
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    body.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                int n = buffer.remaining();
                if (size + n > max) {
                    chunk.release();
                    body.tooLarge();
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, Math.min(max, Math.max(size + n, bytes.length * 2)));
                }
                buffer.get(bytes, size, n);
                size += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    body.body(size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size));
                    return;
                }
            }
        }
    }
}
