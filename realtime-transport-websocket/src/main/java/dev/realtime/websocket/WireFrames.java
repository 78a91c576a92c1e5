package dev.realtime.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 server frames as bytes: a server's frames are not masked, so the bytes of one text
 * message are the same for every connection and a fan-out encodes them once.
 */
final class WireFrames {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WireFrames() {
    }

    /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key} (RFC 6455 §4.2.2). */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }

    /**
     * A whole text frame (header and payload, read-only, position 0). A fan-out hands the same String
     * to every subscriber's queue and the writer threads write them one after another, so a small
     * identity cache of the last {@value #RECENT} texts, shared by the writer threads, encodes each
     * broadcast once; each caller gets its own view. Several entries, because a writer that falls
     * behind a fan-out finds two or three events queued for each connection and writes them together
     * (frame A, frame B, then A, B again for the next connection): a one-entry cache encoded both on
     * every delivery. Shared, not per thread: the writer thread's {@code ThreadLocal} lookup alone was
     * 4.9 % of the server's CPU at 100 000 deliveries/s (async-profiler, BENCHMARKS.md).
     *
     * <p>When a String has been asked for {@link #directAfter} (8) times (a fan-out to many), its
     * frame moves to direct memory, once: the JDK writes a heap buffer to a socket by copying it into
     * a thread-local direct buffer on every write; with the frame in direct memory the writer
     * thread's user-space share at 100 000 deliveries/s fell from 15.0 to 12.9 % (async-profiler,
     * BENCHMARKS.md). A frame written to a few connections stays on the heap: allocating direct
     * memory (and freeing it after a GC) costs more than a few copies.
     *
     * <p>The cache is read and written without locks: an entry is immutable but for its use count (a
     * hint, racy by design), and published through a plain array store, which the final fields make
     * safe to read from another thread; two writers that miss at once both encode, and one entry wins.
     */
    static ByteBuffer text(String text) {
        Encoded[] recent = RECENT_TEXTS;
        for (int i = 0; i < RECENT; i++) {
            Encoded e = recent[i];
            if (e != null && e.text == text) {
                return e.use(recent, i);
            }
        }
        int slot = nextSlot++ & (RECENT - 1);
        encodings++;
        Encoded e = new Encoded(text, frame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(), false);
        recent[slot] = e;
        return e.use(recent, slot);
    }

    /**
     * The deliveries of one frame after which it is worth a direct copy: 8; tests set it to 1 to write
     * every frame from direct memory.
     */
    static volatile int directAfter = 8;

    /** How many recent texts {@link #text} keeps encoded (a power of two). */
    static final int RECENT = 4;
    private static final Encoded[] RECENT_TEXTS = new Encoded[RECENT];
    private static int nextSlot;
    /** Texts encoded (cache misses), for tests; counted without synchronisation. */
    static long encodings;

    /** One text's frame, and how many times it was asked for while on the heap. */
    private static final class Encoded {
        final String text;
        final ByteBuffer frame;
        final boolean direct;
        int uses;

        Encoded(String text, ByteBuffer frame, boolean direct) {
            this.text = text;
            this.frame = frame;
            this.direct = direct;
        }

        /** A view of the frame for one write; the direct copy replaces this entry at its use that reaches the threshold. */
        ByteBuffer use(Encoded[] recent, int slot) {
            if (!direct && ++uses >= directAfter) {
                Encoded d = new Encoded(text, ByteBuffer.allocateDirect(frame.remaining()).put(frame.duplicate()).flip()
                        .asReadOnlyBuffer(), true);
                recent[slot] = d;
                return d.frame.duplicate();
            }
            return frame.duplicate();
        }
    }

    /** A close frame: the code, then the reason cut to fit (RFC 6455 §5.5.1). */
    static ByteBuffer close(int code, String reason) {
        byte[] why = CloseReasons.fit(reason).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + why.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(why, 0, payload, 2, why.length);
        return frame(OP_CLOSE, payload);
    }

    /** One unmasked final frame carrying {@code payload}. */
    static ByteBuffer frame(int opcode, byte[] payload) {
        int len = payload.length;
        int header = len <= 125 ? 2 : len <= 0xFFFF ? 4 : 10;
        ByteBuffer out = ByteBuffer.allocate(header + len);
        out.put((byte) (0x80 | opcode));
        if (len <= 125) {
            out.put((byte) len);
        } else if (len <= 0xFFFF) {
            out.put((byte) 126).putShort((short) len);
        } else {
            out.put((byte) 127).putLong(len);
        }
        out.put(payload).flip();
        return out;
    }

    /**
     * Whether a client may send {@code code} in a close frame (RFC 6455 §7.4: 1004–1006 and 1015 are
     * reserved and never sent, below 1000 and 1016–2999 are undefined; 3000–4999 are for
     * frameworks and applications).
     */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
                || (code >= 3000 && code <= 4999);
    }
}
