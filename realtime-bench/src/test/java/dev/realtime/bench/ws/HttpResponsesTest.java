package dev.realtime.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {
    private static final String JETTY = "HTTP/1.1 200 OK\r\nDate: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    private static final String REFUSED = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 13\r\n\r\n{\"error\":\"x\"}";

    @Test
    void pipelinedResponsesInAnyPiecesGiveOneStatusEach() {
        byte[] all = (JETTY + CHUNKED + REFUSED + JETTY).getBytes(StandardCharsets.US_ASCII);
        for (int piece : new int[] {1, 3, 7, 50, all.length}) {
            HttpResponses r = new HttpResponses();
            List<Integer> statuses = new ArrayList<>();
            for (int off = 0; off < all.length; off += piece) {
                r.feed(all, off, Math.min(piece, all.length - off), statuses::add);
            }
            assertThat(statuses).as("pieces of %d bytes", piece).containsExactly(200, 200, 401, 200);
        }
    }

    @Test
    void anIncompleteResponseWaitsForTheRest() {
        HttpResponses r = new HttpResponses();
        List<Integer> statuses = new ArrayList<>();
        byte[] head = JETTY.substring(0, JETTY.length() - 1).getBytes(StandardCharsets.US_ASCII);
        r.feed(head, 0, head.length, statuses::add);
        assertThat(statuses).isEmpty();
        r.feed(new byte[] {'}'}, 0, 1, statuses::add);
        assertThat(statuses).containsExactly(200);
    }

    @Test
    void notesAServerThatClosesAfterEachResponse() {
        HttpResponses r = new HttpResponses();
        byte[] keepAlive = JETTY.getBytes(StandardCharsets.US_ASCII);
        r.feed(keepAlive, 0, keepAlive.length, s -> { });
        assertThat(r.sawClose).isFalse();
        byte[] soketi = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 11\r\n\r\n{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
        r.feed(soketi, 0, soketi.length, s -> { });
        assertThat(r.sawClose).isTrue();
    }
}
