package dev.realtime.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.websocket.UpgradeSniffer.Head;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which request heads the short upgrade path answers itself, and which it leaves to HTTP/1.1. */
class UpgradeSnifferTest {
    /** What pusher-js sends from Node (the ws package), less the per-connection key. */
    private static final String PUSHER_JS = "GET /app/app-key?protocol=7&client=js&version=8.4.0&flash=false HTTP/1.1\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Connection: Upgrade\r\n"
            + "Upgrade: websocket\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "Host: 127.0.0.1:6001\r\n";

    private static Head parse(String head) {
        return Head.parse(ByteBuffer.wrap((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theHeadsTheClientsSendAreTakenWithTheirKeyProtocolAndOrigin() {
        Head h = parse(PUSHER_JS);
        assertThat(h).isNotNull();
        assertThat(h.appKey()).isEqualTo("app-key");
        assertThat(h.protocol()).isEqualTo("7");
        assertThat(h.key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(h.origin()).isNull();
        assertThat(h.length()).isEqualTo(PUSHER_JS.length() + 2);
        // A browser's: Origin, cookies, a Connection list, names in any case.
        Head browser = parse("GET /app/k1?protocol=7 HTTP/1.1\r\nhost: example.com\r\nconnection: keep-alive, Upgrade\r\n"
                + "UPGRADE: WebSocket\r\nOrigin: https://app.example\r\nCookie: a=b; c=d\r\nsec-websocket-version:13\r\n"
                + "sec-websocket-key:   abc==   \r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n");
        assertThat(browser).isNotNull();
        assertThat(browser.origin()).isEqualTo("https://app.example");
        assertThat(browser.key()).isEqualTo("abc==");
        assertThat(parse("GET /app/k1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: k\r\n").protocol()).isNull();
    }

    @Test
    void everythingUnusualGoesOnToHttp() {
        Map<String, String> heads = new LinkedHashMap<>();
        heads.put("POST", PUSHER_JS.replace("GET ", "POST "));
        heads.put("HTTP/1.0", PUSHER_JS.replace("HTTP/1.1\r\n", "HTTP/1.0\r\n"));
        heads.put("another path", PUSHER_JS.replace("/app/app-key", "/apps/app-key"));
        heads.put("a deeper path", PUSHER_JS.replace("/app/app-key", "/app/app-key/x"));
        heads.put("no key in the path", PUSHER_JS.replace("/app/app-key", "/app/"));
        heads.put("a percent-encoded key", PUSHER_JS.replace("/app/app-key", "/app/app%2Dkey"));
        heads.put("an encoded query", PUSHER_JS.replace("protocol=7", "protocol=%37"));
        heads.put("a path parameter", PUSHER_JS.replace("/app/app-key", "/app/app-key;x=1"));
        heads.put("version 8", PUSHER_JS.replace("Version: 13", "Version: 8"));
        heads.put("no version", PUSHER_JS.replace("Sec-WebSocket-Version: 13\r\n", ""));
        heads.put("no key", PUSHER_JS.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""));
        heads.put("an empty key", PUSHER_JS.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: "));
        heads.put("two keys", PUSHER_JS + "Sec-WebSocket-Key: other==\r\n");
        heads.put("two Upgrade fields", PUSHER_JS + "Upgrade: h2c\r\n");
        heads.put("two Origins", PUSHER_JS + "Origin: a\r\nOrigin: b\r\n");
        heads.put("no Upgrade", PUSHER_JS.replace("Upgrade: websocket\r\n", ""));
        heads.put("Upgrade: h2c", PUSHER_JS.replace("Upgrade: websocket", "Upgrade: h2c"));
        heads.put("Connection without upgrade", PUSHER_JS.replace("Connection: Upgrade", "Connection: keep-alive"));
        heads.put("no Host", PUSHER_JS.replace("Host: 127.0.0.1:6001\r\n", ""));
        heads.put("two Hosts", PUSHER_JS + "Host: other\r\n");
        heads.put("a body", PUSHER_JS + "Content-Length: 5\r\n");
        heads.put("chunked", PUSHER_JS + "Transfer-Encoding: chunked\r\n");
        heads.put("a folded line", PUSHER_JS + "X-A: one\r\n two\r\n");
        heads.put("a space before the colon", PUSHER_JS + "X-A : one\r\n");
        heads.put("a field without a colon", PUSHER_JS + "X-A\r\n");
        heads.put("a bare LF", PUSHER_JS.replace("Connection: Upgrade\r\n", "Connection: Upgrade\n"));
        heads.put("a field behind a bare LF", PUSHER_JS + "X-A: one\nOrigin: https://evil.example\r\n");
        heads.put("a bare CR", PUSHER_JS + "X-A: one\rtwo\r\n");
        heads.put("a control byte", PUSHER_JS + "X-A: \u0001\r\n");
        heads.put("DEL", PUSHER_JS + "X-A: \u007f\r\n");
        heads.put("a byte past ASCII", PUSHER_JS + "X-A: caf\u00e9\r\n");
        heads.forEach((what, head) -> assertThat(parse(head)).as(what).isNull());
        assertThat(parse(PUSHER_JS + "Content-Length: 0\r\n")).as("an empty body").isNotNull();
    }

    @Test
    void onlyAWholeHeadIsTaken() {
        byte[] whole = (PUSHER_JS + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut < whole.length; cut++) {
            assertThat(Head.parse(ByteBuffer.wrap(whole, 0, cut))).as("the first %d bytes", cut).isNull();
        }
        // The bytes after the head (a frame the client did not wait to send) are not part of it.
        byte[] more = (PUSHER_JS + "\r\n\u0081\u0085abcde").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Head.parse(ByteBuffer.wrap(more)).length()).isEqualTo(whole.length);
    }
}
