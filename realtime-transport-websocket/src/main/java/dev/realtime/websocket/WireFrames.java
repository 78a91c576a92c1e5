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
    private static final ThreadLocal<LastText> LAST_TEXT = ThreadLocal.withInitial(LastText::new);

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
     * to every subscriber's queue and a writer thread writes them one after another, so a one-entry
     * identity cache per thread encodes each broadcast once; each caller gets its own view.
     *
     * <p>When the same String comes {@link #directAfter} (8) times in a row (a fan-out to many), the
     * frame moves to direct memory, once: the JDK writes a heap buffer to a socket by copying it into
     * a thread-local direct buffer on every write; with the frame in direct memory the writer
     * thread's user-space share at 100 000 deliveries/s fell from 15.0 to 12.9 % (async-profiler,
     * BENCHMARKS.md). A frame written to a few connections stays on the heap: allocating direct
     * memory (and freeing it after a GC) costs more than a few copies.
     */
    static ByteBuffer text(String text) {
        LastText last = LAST_TEXT.get();
        if (last.text != text) {
            last.frame = frame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
            last.text = text;
            last.uses = 0;
        }
        if (++last.uses == directAfter) {
            ByteBuffer heap = last.frame;
            last.frame = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip().asReadOnlyBuffer();
        }
        return last.frame.duplicate();
    }

    /**
     * The deliveries of one frame from one writer thread after which it is worth a direct copy: 8;
     * tests set it to 1 to write every frame from direct memory.
     */
    static volatile int directAfter = 8;

    /** The last text frame a thread encoded, and how many times in a row it was asked for. */
    private static final class LastText {
        String text;
        ByteBuffer frame;
        int uses;
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
