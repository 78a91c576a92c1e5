package dev.realtime.http;

import dev.realtime.AuthRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An {@link HttpExchange} over an asynchronous servlet request with non-blocking I/O: the body is
 * read by a {@link ReadListener}, each write is written and flushed through a {@link WriteListener}
 * (only when the container says the stream is ready), and {@link AsyncContext#complete()} ends it.
 */
final class ServletExchange implements HttpExchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final String path;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Writer writer = new Writer();
    private volatile Consumer<Throwable> goneListener;

    ServletExchange(HttpServletRequest request, HttpServletResponse response, AsyncContext async, String path) {
        this.request = request;
        this.response = response;
        this.async = async;
        this.path = path;
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                finished.set(true);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                gone(new java.util.concurrent.TimeoutException("async timeout"));
            }

            @Override
            public void onError(AsyncEvent event) {
                gone(event.getThrowable() != null ? event.getThrowable() : new IOException("request failed"));
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        writer.open();
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
    public String query(String name) {
        // getParameter would read a form body; the query string is all that is wanted here.
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public AuthRequest authRequest() {
        return new AuthRequest() {
            @Override
            public String header(String name) {
                return request.getHeader(name);
            }

            @Override
            public String cookie(String name) {
                Cookie[] cookies = request.getCookies();
                if (cookies != null) {
                    for (Cookie c : cookies) {
                        if (c.getName().equals(name)) {
                            return c.getValue();
                        }
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
                return request.getRemoteAddr();
            }
        };
    }

    @Override
    public void readBody(int maxBytes, BodyCallback body) {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            body.tooLarge();
            return;
        }
        try {
            ServletInputStream in = request.getInputStream();
            in.setReadListener(new BodyRead(in, maxBytes, length, body));
        } catch (IOException | IllegalStateException e) {
            body.failed(e);
        }
    }

    @Override
    public void status(int status) {
        try {
            response.setStatus(status);
        } catch (IllegalStateException e) {
            // recycled: the write that follows fails
        }
    }

    @Override
    public void setHeader(String name, String value) {
        try {
            response.setHeader(name, value);
        } catch (IllegalStateException e) {
            // recycled: the write that follows fails
        }
    }

    @Override
    public void write(String text, boolean last, WriteCallback done) {
        if (finished.get()) {
            done.failed(new IllegalStateException("the exchange is finished"));
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (last && !response.isCommitted()) {
                // A whole answer: with its length, not chunked. (Tomcat may close the connection of a request whose
                // body was not read before it writes the last chunk; a length makes the answer complete without it.)
                response.setContentLength(bytes.length);
            }
        } catch (IllegalStateException e) {
            // the container recycled the request (it stopped, or the client went away)
            finished.set(true);
            done.failed(e);
            return;
        }
        writer.write(bytes, last, done);
    }

    @Override
    public void end() {
        if (finished.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container
            }
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (finished.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container
            }
        }
    }

    @Override
    public void onGone(Consumer<Throwable> listener) {
        this.goneListener = listener;
    }

    private void gone(Throwable cause) {
        Consumer<Throwable> l = goneListener;
        if (l != null && !finished.get()) {
            l.accept(cause);
        }
    }

    /**
     * Writes one piece at a time through the non-blocking output: write when ready, flush when ready,
     * then complete the callback once the container reports the flush done (ready again).
     */
    private final class Writer implements WriteListener {
        private ServletOutputStream out;
        private byte[] pending;
        private boolean last;
        private WriteCallback done;
        /** 0 idle, 1 bytes to write, 2 to flush, 3 flush in progress. */
        private int stage;

        synchronized void write(byte[] bytes, boolean isLast, WriteCallback callback) {
            pending = bytes;
            last = isLast;
            done = callback;
            stage = 1;
            if (out == null) {
                fail(new IllegalStateException("the response's output could not be opened"));
                return;
            }
            step();
        }

        /** Opens the output in non-blocking mode; on the container's thread, before any write. */
        synchronized void open() {
            try {
                out = response.getOutputStream();
                out.setWriteListener(this); // the container calls onWritePossible when ready
            } catch (IOException | IllegalStateException e) {
                out = null;
            }
        }

        @Override
        public synchronized void onWritePossible() {
            step();
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                fail(t);
            }
            gone(t);
        }

        /** Advances the write as far as the output allows. Holds the monitor. */
        private void step() {
            try {
                while (stage != 0) {
                    if (!out.isReady()) {
                        return; // onWritePossible follows
                    }
                    switch (stage) {
                        case 1 -> {
                            if (pending.length > 0) {
                                out.write(pending);
                            }
                            pending = null;
                            stage = 2;
                        }
                        case 2 -> {
                            out.flush();
                            stage = 3;
                        }
                        default -> {
                            stage = 0;
                            WriteCallback callback = done;
                            done = null;
                            if (last && finished.compareAndSet(false, true)) {
                                async.complete();
                            }
                            callback.succeeded();
                        }
                    }
                }
            } catch (IOException | IllegalStateException e) {
                fail(e);
            }
        }

        private void fail(Throwable cause) {
            stage = 0;
            pending = null;
            WriteCallback callback = done;
            done = null;
            if (finished.compareAndSet(false, true)) {
                try {
                    async.complete();
                } catch (IllegalStateException ignored) {
                    // the container completed it
                }
            }
            if (callback != null) {
                callback.failed(cause);
            }
        }
    }

    /** Reads the body as the container has it, never waiting on a thread. */
    private static final class BodyRead implements ReadListener {
        private final ServletInputStream in;
        private final int max;
        private final BodyCallback body;
        private byte[] bytes;
        private int size;
        private boolean done;

        BodyRead(ServletInputStream in, int max, long length, BodyCallback body) {
            this.in = in;
            this.max = max;
            this.body = body;
            this.bytes = new byte[(int) Math.max(256, Math.min(Math.max(length, 0), max))];
        }

        @Override
        public synchronized void onDataAvailable() throws IOException {
            while (!done && in.isReady() && !in.isFinished()) {
                if (size == bytes.length) {
                    if (size >= max) {
                        // one more byte would pass the limit: see whether the body has more
                        int extra = in.read();
                        if (extra < 0) {
                            break;
                        }
                        done = true;
                        body.tooLarge();
                        return;
                    }
                    bytes = Arrays.copyOf(bytes, Math.min(max, bytes.length * 2));
                }
                int n = in.read(bytes, size, bytes.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
        }

        @Override
        public synchronized void onAllDataRead() {
            if (!done) {
                done = true;
                body.body(Arrays.copyOf(bytes, size));
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            if (!done) {
                done = true;
                body.failed(t);
            }
        }
    }
}
