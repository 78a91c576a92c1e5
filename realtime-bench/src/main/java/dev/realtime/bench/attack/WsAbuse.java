package dev.realtime.bench.attack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Probes a running server's WebSocket side the way an attacker would and prints what it answered,
 * next to what the README documents, with a canary client checking the server kept serving:
 * <pre>
 * java -cp realtime-bench/target/benchmarks.jar dev.realtime.bench.attack.WsAbuse \
 *     --port 6001 --app-id ID --app-key KEY --app-secret SECRET
 * </pre>
 * Probes: a 10 000-subscribe flood from a client that keeps reading; a slow consumer that stops
 * reading and then reads again; invalid UTF-8; a 180 KB message of 3-byte characters (60 000
 * characters); an upgrade asking for WebSocket version 8.
 */
public final class WsAbuse {
    private final String host;
    private final int port;
    private final String appId;
    private final String key;
    private final String secret;
    private final HttpClient http = HttpClient.newHttpClient();

    private WsAbuse(Map<String, String> args) {
        host = args.getOrDefault("--host", "127.0.0.1");
        port = Integer.parseInt(args.getOrDefault("--port", "6001"));
        appId = args.get("--app-id");
        key = args.get("--app-key");
        secret = args.get("--app-secret");
        if (appId == null || key == null || secret == null) {
            throw new IllegalArgumentException("usage: WsAbuse [--host H] [--port P] --app-id ID --app-key KEY --app-secret SECRET");
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i], argv[i + 1]);
        }
        WsAbuse probe = new WsAbuse(args);
        System.out.println("| probe | documented answer | got | canary kept receiving |");
        System.out.println("| --- | --- | --- | --- |");
        probe.report("10 000 subscribes at once, client reading", "a few 4301, connection kept", probe::flood);
        probe.report("slow consumer stops reading, then reads", "whole frames, then close 4100", probe::slowConsumer);
        probe.report("invalid UTF-8 text frame", "close 1007", probe::invalidUtf8);
        probe.report("180 KB message of 60 000 3-byte characters", "close 1009", probe::bytesNotCharacters);
        probe.report("upgrade with Sec-WebSocket-Version: 8", "HTTP 426", probe::version8);
    }

    private interface Probe {
        String run() throws Exception;
    }

    private void report(String name, String documented, Probe probe) throws Exception {
        try (Ws canary = connect(0)) {
            canary.readText();
            canary.send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"canary\"}}");
            canary.readUntil("subscription_succeeded");
            String got;
            try {
                got = probe.run();
            } catch (Exception e) {
                got = "failed: " + e;
            }
            publish("canary", "alive", "x");
            boolean alive;
            try {
                canary.readUntil("\"alive\"");
                alive = true;
            } catch (IOException e) {
                alive = false;
            }
            System.out.println("| " + name + " | " + documented + " | " + got + " | " + (alive ? "yes" : "NO") + " |");
        }
    }

    private String flood() throws Exception {
        try (Ws ws = connect(0)) {
            ws.readText();
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                burst.writeBytes(frame(1, ("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"flood." + i + "\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
            }
            Thread sender = new Thread(() -> {
                try {
                    ws.out.write(burst.toByteArray());
                    ws.out.flush();
                } catch (IOException ignored) {
                    // reported by the reads below
                }
            });
            sender.start();
            sender.join();
            Thread.sleep(1100);
            ws.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            int errors = 0;
            int frames = 0;
            while (true) {
                int[] op = new int[1];
                byte[] payload = ws.read(op);
                if (op[0] == 8) {
                    return "closed with " + closeCode(payload) + " after " + frames + " frames";
                }
                String text = new String(payload, StandardCharsets.UTF_8);
                frames++;
                if (text.contains("\"code\":4301")) {
                    errors++;
                }
                if (text.contains("pusher:pong")) {
                    return errors + " × 4301 in " + frames + " replies, connection kept (pong answered)";
                }
            }
        }
    }

    private String slowConsumer() throws Exception {
        try (Ws ws = connect(4096)) {
            ws.readText();
            ws.send("{\"event\":\"pusher:subscribe\",\"data\":{\"auth\":\"\",\"channel\":\"firehose\"}}");
            ws.readUntil("subscription_succeeded");
            String payload = "y".repeat(9000);
            for (int i = 0; i < 2500; i++) {
                publish("firehose", "tick", payload);
            }
            Thread.sleep(2000);
            int texts = 0;
            while (true) {
                int[] op = new int[1];
                byte[] p;
                try {
                    p = ws.read(op);
                } catch (java.io.EOFException e) {
                    return "end of stream after " + texts + " whole frames (no close frame)";
                }
                if (op[0] == 8) {
                    return texts + " whole frames, then close " + closeCode(p);
                }
                texts++;
            }
        }
    }

    private String invalidUtf8() throws Exception {
        try (Ws ws = connect(0)) {
            ws.readText();
            ws.out.write(frame(1, new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'}));
            return ws.closeResult();
        }
    }

    private String bytesNotCharacters() throws Exception {
        try (Ws ws = connect(0)) {
            ws.readText();
            ws.out.write(frame(1, ("{\"event\":\"pusher:ping\",\"data\":\"" + "\u20ac".repeat(60_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
            return ws.closeResult();
        }
    }

    private String version8() throws Exception {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /app/" + key + "?protocol=7 HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = head(s.getInputStream());
            return head.lines().findFirst().orElse("") + (head.contains("Sec-WebSocket-Version: 13") ? " (Sec-WebSocket-Version: 13)" : "");
        }
    }

    private void publish(String channel, String event, String text) throws Exception {
        String body = "{\"name\":\"" + event + "\",\"channel\":\"" + channel + "\",\"data\":\"{\\\"p\\\":\\\"" + text + "\\\"}\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        String path = "/apps/" + appId + "/events";
        String query = "auth_key=" + key + "&auth_timestamp=" + (System.currentTimeMillis() / 1000) + "&auth_version=1.0&body_md5=" + md5;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(("POST\n" + path + "\n" + query).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path + "?" + query
                + "&auth_signature=" + signature)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("publish answered " + r.statusCode() + " " + r.body());
        }
    }

    private Ws connect(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress(host, port), 10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        s.getOutputStream().write(("GET /app/" + key + "?protocol=7 HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = head(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        return new Ws(s);
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    private static int closeCode(byte[] payload) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    /** A blocking raw WebSocket client: reads whole messages, never answers pings. */
    private static final class Ws implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Ws(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(frame(1, text.getBytes(StandardCharsets.UTF_8)));
            out.flush();
        }

        byte[] read(int[] opcode) throws IOException {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] p = new byte[(int) len];
                in.readFully(p);
                int op = b0 & 0x0f;
                if (op == 9 || op == 10) {
                    continue; // control frames between messages or fragments
                }
                if (op != 0) {
                    opcode[0] = op;
                }
                whole.write(p, 0, p.length);
                if ((b0 & 0x80) != 0) {
                    return whole.toByteArray();
                }
            }
        }

        String readText() throws IOException {
            int[] op = new int[1];
            byte[] p = read(op);
            if (op[0] == 8) {
                throw new IOException("closed with " + closeCode(p));
            }
            return new String(p, StandardCharsets.UTF_8);
        }

        void readUntil(String marker) throws IOException {
            while (!readText().contains(marker)) {
                // skip
            }
        }

        String closeResult() throws IOException {
            while (true) {
                int[] op = new int[1];
                byte[] p = read(op);
                if (op[0] == 8) {
                    return "close " + closeCode(p);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
