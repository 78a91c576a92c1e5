package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.User;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's requests run on Jetty's I/O threads (no hand-off to a pool thread per request), and
 * what may block — the app's authenticator and authorizers — runs elsewhere, so it cannot stall them.
 */
class IoThreadTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ServerTestSupport t = new ServerTestSupport(b -> b
            .authenticator(request -> {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return User.of("1", Map.of());
            })
            .authorize("private-orders.{userId}", (user, channel) -> true));

    @AfterEach
    void close() {
        release.countDown();
        t.close();
    }

    @Test
    void theServerIsNonBlockingSoJettyRunsRequestsOnItsIoThreads() {
        // One BLOCKING handler anywhere in the tree makes Jetty hand every request (publishes and
        // WebSocket upgrades too) to a pool thread: a futex wake-up and a context switch each.
        assertThat(t.server.connector().getServer().getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }

    @Test
    void aBlockingAuthenticatorDoesNotStallOtherRequests() throws Exception {
        String socket = t.memory.connect().socketId();
        CompletableFuture<HttpResponse<String>> auth = t.http.sendAsync(HttpRequest.newBuilder(URI.create(t.server.url() + "/pusher/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=" + socket + "&channel_name=private-orders.1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the authenticator was called").isTrue();

        // connections are spread over the selectors in turn: more connections than selectors reach the
        // one that read the auth request, which would be stuck if the authenticator ran on it
        List<RawHttp> connections = new ArrayList<>();
        try {
            for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
                RawHttp c = RawHttp.connect(t.server.port());
                connections.add(c);
                c.send(RawHttp.head("GET", "/health"));
                assertThat(c.read(Duration.ofSeconds(5)).status()).as("health on connection " + i).isEqualTo(200);
            }
        } finally {
            for (RawHttp c : connections) {
                c.close();
            }
        }
        HttpResponse<String> publish = t.api("POST", "/apps/" + t.appId + "/events", Map.of(),
                "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}");
        assertThat(publish.statusCode()).as(publish.body()).isEqualTo(200);
        assertThat(auth).as("the auth request waits for its authenticator").isNotDone();

        release.countDown();
        HttpResponse<String> answered = auth.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }
}
