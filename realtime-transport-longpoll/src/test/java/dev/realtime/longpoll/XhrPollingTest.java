package dev.realtime.longpoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.ConnectionInfo;
import dev.realtime.Member;
import dev.realtime.RealtimeListener;
import dev.realtime.User;
import dev.realtime.http.HttpTestNode;
import dev.realtime.http.HttpTransport;
import dev.realtime.http.RawHttp;
import dev.realtime.http.XhrClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pusher-js's {@code xhr_polling} against a node on Jetty, with a hand-made client that follows http_socket.ts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class XhrPollingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpTestNode node;

    /** Where the transport is mounted: Jetty core here, Tomcat's servlet in the subclass. */
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.JETTY;
    }

    private HttpTestNode start(HttpTransport transport) {
        return HttpTestNode.start(container(), transport, null, b -> b);
    }

    private HttpTestNode start(HttpTransport transport, dev.realtime.RealtimeListener listener,
                               java.util.function.UnaryOperator<dev.realtime.RealtimeBuilder> tune) {
        return HttpTestNode.start(container(), transport, listener, tune);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String path(String session, String mode) {
        return "/pusher/app/" + HttpTestNode.APP_KEY + "/" + session + "/" + mode + "?protocol=7&client=js&version=8.6.0";
    }

    @Test
    void theFirstPollAnswersOThenTheNextCarriesConnectionEstablishedAndAnIdlePollGetsH() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).pollTimeout(Duration.ofMillis(500)).build());
        RawHttp.Answer open = RawHttp.post(node.port(), path("12/pollpoll", "xhr"), "");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("o\n");
        RawHttp.Answer established = RawHttp.post(node.port(), path("12/pollpoll", "xhr"), "");
        assertThat(established.body()).startsWith("a[").contains("pusher:connection_established").endsWith("]\n");
        long start = System.nanoTime();
        RawHttp.Answer idle = RawHttp.post(node.port(), path("12/pollpoll", "xhr"), "");
        assertThat(idle.body()).isEqualTo("h\n");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 3000L);
    }

    @Test
    void aHeldPollIsAnsweredAsSoonAsAFrameComes() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).build());
        try (XhrClient client = XhrClient.polling(node.port(), HttpTestNode.APP_KEY)) {
            client.awaitSocketId(5000);
            client.subscribe("news", "", null);
            client.await("pusher_internal:subscription_succeeded", "news", 5000);
            Thread.sleep(300); // a poll is held now
            long start = System.nanoTime();
            node.realtime().broadcast("news", "flash", Map.of());
            client.await("flash", "news", 5000);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000L);
        }
    }

    @Test
    void manyEventsOverPollsArriveOnceAndInOrder() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).build());
        int events = 3_000;
        try (XhrClient client = XhrClient.polling(node.port(), HttpTestNode.APP_KEY)) {
            client.awaitSocketId(5000);
            client.subscribe("bulk", "", null);
            client.await("pusher_internal:subscription_succeeded", "bulk", 5000);
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    node.realtime().broadcast("bulk", "seq", Map.of("n", i));
                    if (i % 100 == 99) {
                        sleep(20);
                    }
                }
            });
            publisher.start();
            List<Integer> got = new ArrayList<>();
            while (got.size() < events) {
                JsonNode f = client.await("seq", "bulk", 20_000);
                got.add(JSON.readTree(f.get("data").asText()).get("n").asInt());
            }
            publisher.join();
            for (int i = 0; i < events; i++) {
                assertThat(got.get(i)).as("event #%d", i).isEqualTo(i);
            }
            Thread.sleep(300);
            assertThat(client.frames()).isEmpty();
        }
    }

    @Test
    void aClientThatStopsPollingLeavesPresenceWithinTheExpiryAndMemberRemovedFiresOnce() throws Exception {
        List<String> removed = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        RealtimeListener listener = new RealtimeListener() {
            @Override
            public void memberRemoved(String channel, Member member) {
                removed.add(channel + " " + member.userId());
            }

            @Override
            public void connectionClosed(ConnectionInfo connection, int code, String reason) {
                closed.add(connection.socketId() + " " + code);
            }
        };
        Duration pollTimeout = Duration.ofSeconds(1);
        Duration sessionTimeout = Duration.ofSeconds(2);
        node = start(HttpTransport.builder().modes(LongPolling.all()).pollTimeout(pollTimeout)
                .sessionTimeout(sessionTimeout).build(), listener, b -> b);
        String room = "presence-room";
        XhrClient alice = XhrClient.polling(node.port(), HttpTestNode.APP_KEY);
        try (XhrClient bob = XhrClient.polling(node.port(), HttpTestNode.APP_KEY)) {
            join(bob, room, "bob");
            String aliceSocket = join(alice, room, "alice");
            bob.await("pusher_internal:member_added", room, 5000);

            alice.stop(); // no more polls, nothing said
            long stopped = System.nanoTime();
            JsonNode left = bob.await("pusher_internal:member_removed", room, 10_000);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            assertThat(left.get("data").asText()).contains("\"alice\"");
            assertThat(tookMs).as("left within the poll timeout plus the session timeout (and a margin)")
                    .isLessThan(pollTimeout.plus(sessionTimeout).toMillis() + 1500);
            Thread.sleep(1500); // listeners run on their own executor; and nothing more may come
            assertThat(closed).containsExactly(aliceSocket + " 1006");
            assertThat(removed).as("memberRemoved once").containsExactly(room + " alice");
            assertThat(bob.frames().stream().filter(f -> f.path("event").asText().equals("pusher_internal:member_removed")))
                    .as("member_removed sent once").isEmpty();
            assertThat(node.realtime().presence(room)).extracting(Member::userId).containsExactly("bob");
            assertThat(node.transport().sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void theNodesCloseReachesThePollAndEndsTheSession() throws Exception {
        node = start(HttpTransport.builder().modes(LongPolling.all()).build());
        try (XhrClient client = XhrClient.polling(node.port(), HttpTestNode.APP_KEY)) {
            String room = "presence-closing";
            join(client, room, "carol");
            assertThat(node.realtime().disconnectUser("carol")).isEqualTo(1);
            long deadline = System.currentTimeMillis() + 5000;
            while (client.chunks().stream().noneMatch(c -> c.startsWith("c[")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.chunks()).anyMatch(c -> c.startsWith("c[4009,"));
            deadline = System.currentTimeMillis() + 5000;
            while (node.transport().sessionCount() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(node.transport().sessionCount()).isZero();
            RawHttp.Answer send = RawHttp.post(node.port(), client.sessionPath() + "/xhr_send", "[]");
            assertThat(send.status()).isEqualTo(404);
        }
    }

    /** Subscribes {@code client} to presence channel {@code room} as {@code userId}; its socket id. */
    private String join(XhrClient client, String room, String userId) throws Exception {
        String socketId = client.awaitSocketId(5000);
        JsonNode auth = JSON.readTree(node.realtime().authorizeChannel(socketId, room,
                User.of(userId, Map.of("name", "User " + userId))).body());
        client.subscribe(room, auth.get("auth").asText(), auth.get("channel_data").asText());
        client.await("pusher_internal:subscription_succeeded", room, 5000);
        return socketId;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
