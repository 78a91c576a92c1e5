package dev.realtime.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body of at most {@code maxBytes} without blocking a thread: chunks are taken as
 * they arrive and the reader asks Jetty to call back when more is available.
 */
final class BodyReader implements Runnable {
    private final Request request;
    private final int maxBytes;
    private final BiConsumer<byte[], HttpError> then;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private BodyReader(Request request, int maxBytes, BiConsumer<byte[], HttpError> then) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.then = then;
    }

    /**
     * Reads the body, then calls {@code then} with the bytes, or with a 413 {@link HttpError} past
     * {@code maxBytes}, or a 400 when the body cannot be read.
     */
    static void read(Request request, int maxBytes, BiConsumer<byte[], HttpError> then) {
        long declared = request.getLength();
        if (declared > maxBytes) {
            then.accept(null, tooLarge(maxBytes));
            return;
        }
        new BodyReader(request, maxBytes, then).run();
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
                then.accept(null, new HttpError(400, "cannot read the request body: " + chunk.getFailure()));
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int n = buffer.remaining();
            if (body.size() + n > maxBytes) {
                chunk.release();
                then.accept(null, tooLarge(maxBytes));
                return;
            }
            if (n > 0) {
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                body.write(bytes, 0, n);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                then.accept(body.toByteArray(), null);
                return;
            }
        }
    }

    private static HttpError tooLarge(int maxBytes) {
        return new HttpError(413, "request body is larger than " + maxBytes
                + " bytes (RealtimeServer maxRequestBodyBytes)");
    }
}
