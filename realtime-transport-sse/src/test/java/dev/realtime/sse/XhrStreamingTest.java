package dev.realtime.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.http.HttpTestNode;
import dev.realtime.http.HttpTransport;
import dev.realtime.http.RawHttp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XhrStreamingTest {
    private HttpTestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private String path(String session, String mode) {
        return "/pusher/app/" + HttpTestNode.APP_KEY + "/" + session + "/" + mode;
    }

    @Test
    void aStreamOpensWithOThenConnectionEstablishedAndCarriesBroadcasts() throws Exception {
        node = HttpTestNode.start(HttpTransport.builder().modes(Sse.all()).build());
        try (RawHttp.Stream stream = RawHttp.open(node.port(), "POST", path("123/abcdefgh", "xhr_streaming") + "?protocol=7&client=js&version=8.6.0&t=1&n=1", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextLine(5000)).isEqualTo("o");
            assertThat(stream.awaitLine("a[", 5000)).contains("pusher:connection_established");
            RawHttp.Answer sent = RawHttp.post(node.port(), path("123/abcdefgh", "xhr_send") + "?t=2&n=2",
                    "[\"{\\\"event\\\":\\\"pusher:subscribe\\\",\\\"data\\\":{\\\"channel\\\":\\\"news\\\",\\\"auth\\\":\\\"\\\"}}\"]");
            assertThat(sent.status()).isEqualTo(204);
            assertThat(stream.awaitLine("a[", 5000)).contains("subscription_succeeded");
            node.realtime().broadcast("news", "headline", Map.of("text", "h\u00e9llo"));
            String line = stream.awaitLine("a[", 5000);
            assertThat(line).contains("headline").contains("h\\u00e9llo");
        }
    }
}
