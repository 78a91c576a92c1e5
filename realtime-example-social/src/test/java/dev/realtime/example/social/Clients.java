package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.client.util.HttpChannelAuthorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Real pusher-java-client connections to the app, authorized at /broadcasting/auth with a user's bearer token. */
final class Clients implements AutoCloseable {
    static final long WAIT_SECONDS = 15;

    private final String host;
    private final int port;
    private final List<Pusher> open = new ArrayList<>();

    Clients(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A connected client signed in with {@code token} (null: anonymous, public channels only). */
    Pusher connect(String token) throws InterruptedException {
        PusherOptions options = new PusherOptions().setHost(host).setWsPort(port).setUseTLS(false);
        if (token != null) {
            HttpChannelAuthorizer authorizer = new HttpChannelAuthorizer("http://" + host + ":" + port + "/broadcasting/auth");
            authorizer.setHeaders(Map.of("Authorization", "Bearer " + token));
            options.setChannelAuthorizer(authorizer);
        }
        Pusher pusher = new Pusher("social-key", options);
        open.add(pusher);
        CountDownLatch connected = new CountDownLatch(1);
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                if (change.getCurrentState() == ConnectionState.CONNECTED) {
                    connected.countDown();
                }
            }

            @Override
            public void onError(String message, String code, Exception e) {
            }
        }, ConnectionState.ALL);
        assertThat(connected.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("connected to %s:%d", host, port).isTrue();
        return pusher;
    }

    @Override
    public void close() {
        open.forEach(Pusher::disconnect);
        open.clear();
    }

    /** What arrives on one channel: events, its subscription, its refusal, presence joins and leaves. */
    static class Listener implements PresenceChannelEventListener, PrivateChannelEventListener {
        final BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(1);
        final BlockingQueue<String> refusals = new LinkedBlockingQueue<>();
        final BlockingQueue<User> joined = new LinkedBlockingQueue<>();
        final BlockingQueue<User> left = new LinkedBlockingQueue<>();
        volatile Set<User> members = Set.of();

        @Override
        public void onEvent(PusherEvent event) {
            events.add(event);
        }

        @Override
        public void onSubscriptionSucceeded(String channelName) {
            subscribed.countDown();
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            refusals.add(message + (e == null ? "" : " " + e.getMessage()));
        }

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
            members = users;
        }

        @Override
        public void userSubscribed(String channelName, User user) {
            joined.add(user);
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
            left.add(user);
        }

        Listener awaitSubscribed(String what) throws InterruptedException {
            if (!subscribed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("no subscription to " + what + " within " + WAIT_SECONDS + " s; refusals: " + refusals);
            }
            return this;
        }

        /** The data of the next event, failing with what did arrive when none comes in time. */
        JsonNode next(String what) throws Exception {
            PusherEvent event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("%s within %d s", what, WAIT_SECONDS).isNotNull();
            return ((com.fasterxml.jackson.databind.node.ObjectNode) Api.JSON.readTree(event.getData())).put("_event", event.getEventName());
        }

        /** The next event named {@code name} whose data matches, skipping others (e.g. other users' statuses). */
        JsonNode next(String name, java.util.function.Predicate<JsonNode> matching, String what) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                PusherEvent event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    break;
                }
                JsonNode data = Api.JSON.readTree(event.getData());
                if (event.getEventName().equals(name) && matching.test(data)) {
                    return data;
                }
                seen.add(event.getEventName() + " " + event.getData());
            }
            throw new AssertionError(what + ": not within " + WAIT_SECONDS + " s; arrived instead: " + seen);
        }
    }
}
