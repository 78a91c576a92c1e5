package dev.realtime.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.client.util.HttpChannelAuthorizer;
import com.pusher.client.util.HttpUserAuthenticator;
import com.pusher.rest.data.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real pusher-java-client against the server, with events published by the real
 * pusher-http-java through the HTTP API: connect, public, private and presence channels, client
 * events, sign-in and events sent to a user, and an idle connection kept alive past the activity
 * timeout.
 */
class PusherJavaClientTest {
    private static final long WAIT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClientTestServer server;
    private static com.pusher.rest.Pusher backend;
    private final List<Pusher> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = ClientTestServer.start();
        backend = new com.pusher.rest.Pusher(ClientTestServer.APP_ID, ClientTestServer.APP_KEY, ClientTestServer.APP_SECRET);
        backend.setHost("127.0.0.1:" + server.port());
        backend.setEncrypted(false);
    }

    @AfterAll
    static void stopServer() throws Exception {
        backend.close();
        server.close();
    }

    @AfterEach
    void disconnectClients() {
        clients.forEach(Pusher::disconnect);
    }

    @Test
    void connectsAndGetsItsOwnSocketIdOfDigitsDotDigits() throws Exception {
        Pusher a = connect(options());
        Pusher b = connect(options());
        assertThat(a.getConnection().getSocketId()).matches("\\d+\\.\\d+");
        assertThat(b.getConnection().getSocketId()).matches("\\d+\\.\\d+").isNotEqualTo(a.getConnection().getSocketId());
    }

    @Test
    void publicChannelReceivesWhatPusherHttpJavaPublishes() throws Exception {
        Pusher a = connect(options());
        String channel = unique("news");
        Events events = new Events();
        CountDownLatch subscribed = new CountDownLatch(1);
        a.subscribe(channel, new com.pusher.client.channel.ChannelEventListener() {
            @Override
            public void onSubscriptionSucceeded(String channelName) {
                subscribed.countDown();
            }

            @Override
            public void onEvent(PusherEvent event) {
                events.add(event);
            }
        }, "article.published");
        await(subscribed, "subscription to " + channel);

        publish(channel, "article.published", Map.of("title", "Hello", "tags", List.of("a", "b")));
        PusherEvent event = events.next("article.published on " + channel);
        assertThat(event.getChannelName()).isEqualTo(channel);
        assertThat(json(event.getData())).isEqualTo(JSON.valueToTree(Map.of("title", "Hello", "tags", List.of("a", "b"))));
    }

    @Test
    void privateChannelIsAuthorizedThroughThePusherAuthEndpoint() throws Exception {
        Pusher a = connect(options().setChannelAuthorizer(httpAuthorizer("java-alice")));
        String channel = unique("private-orders");
        PrivateListener listener = new PrivateListener();
        a.subscribePrivate(channel, listener, "order.paid");
        await(listener.subscribed, "subscription to " + channel);

        publish(channel, "order.paid", Map.of("id", 42));
        assertThat(json(listener.events.next("order.paid").getData())).isEqualTo(JSON.valueToTree(Map.of("id", 42)));
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void privateChannelDeniedByTheAuthorizerReportsAnAuthenticationFailure() throws Exception {
        Pusher a = connect(options().setChannelAuthorizer(httpAuthorizer("java-bob")));
        PrivateListener listener = new PrivateListener();
        a.subscribePrivate(unique("private-forbidden"), listener);
        await(listener.failed, "the authorization failure");
        assertThat(listener.failures.get(0)).contains("403");
        assertThat(listener.subscribed.getCount()).isEqualTo(1);
        assertThat(a.getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void privateChannelSignedByTheBackendWithPusherHttpJavaIsAccepted() throws Exception {
        ChannelAuthorizer signedByBackend = (channelName, socketId) -> backend.authenticate(socketId, channelName);
        Pusher a = connect(options().setChannelAuthorizer(signedByBackend));
        String channel = unique("private-backend");
        PrivateListener listener = new PrivateListener();
        a.subscribePrivate(channel, listener, "signed");
        await(listener.subscribed, "subscription to " + channel);
        publish(channel, "signed", Map.of("ok", true));
        assertThat(json(listener.events.next("signed").getData()).get("ok").asBoolean()).isTrue();
    }

    @Test
    void presenceChannelListsMembersOncePerUserAndReportsJoinsAndLeaves() throws Exception {
        String channel = unique("presence-room");
        String alice = unique("alice");
        String bob = unique("bob");
        Pusher aliceClient = connect(options().setChannelAuthorizer(httpAuthorizer(alice)));
        PresenceListener aliceListener = new PresenceListener();
        PresenceChannel aliceChannel = aliceClient.subscribePresence(channel, aliceListener);
        await(aliceListener.usersReceived, "alice's member list");
        assertThat(ids(aliceListener.initialUsers)).containsExactly(alice);
        assertThat(aliceChannel.getMe().getId()).isEqualTo(alice);
        assertThat(json(aliceChannel.getMe().getInfo())).isEqualTo(JSON.valueToTree(ClientTestServer.infoOf(alice)));

        Pusher bobClient = connect(options().setChannelAuthorizer(httpAuthorizer(bob)));
        PresenceListener bobListener = new PresenceListener();
        bobClient.subscribePresence(channel, bobListener);
        await(bobListener.usersReceived, "bob's member list");
        assertThat(ids(bobListener.initialUsers)).containsExactlyInAnyOrder(alice, bob);

        User joined = aliceListener.joined.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(joined).as("member_added for bob").isNotNull();
        assertThat(joined.getId()).isEqualTo(bob);
        assertThat(json(joined.getInfo())).isEqualTo(JSON.valueToTree(ClientTestServer.infoOf(bob)));
        assertThat(ids(aliceChannel.getUsers())).containsExactlyInAnyOrder(alice, bob);

        bobClient.unsubscribe(channel);
        User left = aliceListener.left.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(left).as("member_removed for bob").isNotNull();
        assertThat(left.getId()).isEqualTo(bob);
        assertThat(ids(aliceChannel.getUsers())).containsExactly(alice);
    }

    @Test
    void clientEventsOnAPrivateChannelReachTheOthersAndAreNotEchoed() throws Exception {
        String channel = unique("private-chat");
        Pusher a = connect(options().setChannelAuthorizer(httpAuthorizer("java-a")));
        Pusher b = connect(options().setChannelAuthorizer(httpAuthorizer("java-b")));
        PrivateListener aListener = new PrivateListener();
        PrivateListener bListener = new PrivateListener();
        PrivateChannel aChannel = a.subscribePrivate(channel, aListener, "client-typing", "client-ack");
        PrivateChannel bChannel = b.subscribePrivate(channel, bListener, "client-typing", "client-ack");
        await(aListener.subscribed, "a's subscription");
        await(bListener.subscribed, "b's subscription");

        aChannel.trigger("client-typing", "{\"text\":\"hel\"}");
        PusherEvent typing = bListener.events.next("client-typing at b");
        assertThat(typing.getEventName()).isEqualTo("client-typing");
        assertThat(json(typing.getData())).isEqualTo(JSON.valueToTree(Map.of("text", "hel")));
        // b answers only after it got a's event, so an echo to a would have arrived before the answer.
        bChannel.trigger("client-ack", "{}");
        PusherEvent ack = aListener.events.next("client-ack at a");
        assertThat(ack.getEventName()).isEqualTo("client-ack");
        assertThat(aListener.events.names()).containsExactly("client-ack");
        assertThat(bListener.events.names()).containsExactly("client-typing");
    }

    @Test
    void clientEventsOnAPresenceChannelCarryTheSendersUserId() throws Exception {
        String channel = unique("presence-chat");
        String sender = unique("sender");
        Pusher a = connect(options().setChannelAuthorizer(httpAuthorizer(sender)));
        Pusher b = connect(options().setChannelAuthorizer(httpAuthorizer(unique("receiver"))));
        PresenceListener aListener = new PresenceListener();
        PresenceListener bListener = new PresenceListener();
        PresenceChannel aChannel = a.subscribePresence(channel, aListener, "client-wave");
        b.subscribePresence(channel, bListener, "client-wave");
        await(aListener.subscribed, "a's subscription");
        await(bListener.subscribed, "b's subscription");

        aChannel.trigger("client-wave", "{\"n\":1}");
        PusherEvent wave = bListener.events.next("client-wave at b");
        assertThat(wave.getUserId()).isEqualTo(sender);
        assertThat(json(wave.getData()).get("n").asInt()).isEqualTo(1);
    }

    @Test
    void signedInUserReceivesEventsSentToThatUser() throws Exception {
        String userId = unique("java-user");
        HttpUserAuthenticator authenticator = new HttpUserAuthenticator(server.baseUrl() + "/pusher/user-auth");
        authenticator.setHeaders(Map.of("Authorization", "Bearer " + userId));
        Pusher a = connect(options().setUserAuthenticator(authenticator));
        Events events = new Events();
        a.user().bind("notification.new", events::add);
        a.signin();
        // No client callback says when #server-to-user-<id> is subscribed: send until it arrives.
        PusherEvent received = null;
        for (int attempt = 0; attempt < 50 && received == null; attempt++) {
            server.realtime().sendToUser(userId, "notification.new", Map.of("text", "hi"));
            received = events.queue.poll(200, TimeUnit.MILLISECONDS);
        }
        assertThat(received).as("an event sent to %s", userId).isNotNull();
        assertThat(json(received.getData())).isEqualTo(JSON.valueToTree(Map.of("text", "hi")));
        assertThat(a.user().userId()).isEqualTo(userId);
    }

    @Test
    void idleConnectionStaysOpenPastTheActivityTimeout() throws Exception {
        Pusher a = connect(options());
        String socketId = a.getConnection().getSocketId();
        List<ConnectionState> changes = new CopyOnWriteArrayList<>();
        a.getConnection().bind(ConnectionState.ALL, new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                changes.add(change.getCurrentState());
            }

            @Override
            public void onError(String message, String code, Exception e) {
            }
        });
        // Silence for two activity timeouts plus the pong timeout: the server must ping, and the
        // client's answer (the Java client relies on WebSocket pings) must keep the connection.
        long idleMillis = ClientTestServer.ACTIVITY_TIMEOUT.multipliedBy(2).plus(ClientTestServer.PONG_TIMEOUT).toMillis() + 1_000;
        Thread.sleep(idleMillis);
        assertThat(changes).as("connection state changes while idle").isEmpty();
        assertThat(a.getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(a.getConnection().getSocketId()).isEqualTo(socketId);
        assertThat(server.realtime().connectionCount()).isPositive();
    }

    // --- plumbing ---

    private static PusherOptions options() {
        return new PusherOptions().setHost("127.0.0.1").setWsPort(server.port()).setUseTLS(false);
    }

    private static HttpChannelAuthorizer httpAuthorizer(String userId) {
        HttpChannelAuthorizer authorizer = new HttpChannelAuthorizer(server.baseUrl() + "/pusher/auth");
        authorizer.setHeaders(Map.of("Authorization", "Bearer " + userId));
        return authorizer;
    }

    private Pusher connect(PusherOptions options) throws InterruptedException {
        Pusher pusher = new Pusher(ClientTestServer.APP_KEY, options);
        clients.add(pusher);
        CountDownLatch connected = new CountDownLatch(1);
        List<String> errors = new CopyOnWriteArrayList<>();
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                if (change.getCurrentState() == ConnectionState.CONNECTED) {
                    connected.countDown();
                }
            }

            @Override
            public void onError(String message, String code, Exception e) {
                errors.add(code + ": " + message);
            }
        }, ConnectionState.ALL);
        assertTrue(connected.await(WAIT_SECONDS, TimeUnit.SECONDS), () -> "not connected; errors: " + errors);
        return pusher;
    }

    private static void publish(String channel, String event, Object data) {
        Result result = backend.trigger(channel, event, data);
        assertThat(result.getStatus()).as("HTTP API answer: %s %s", result.getHttpStatus(), result.getMessage())
                .isEqualTo(Result.Status.SUCCESS);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), () -> "timed out waiting for " + what);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Set<String> ids(Set<User> users) {
        return users.stream().map(User::getId).collect(Collectors.toSet());
    }

    /** Events received, in order; {@link #next} waits for the next one. */
    private static final class Events {
        final BlockingQueue<PusherEvent> queue = new LinkedBlockingQueue<>();
        final List<PusherEvent> all = new CopyOnWriteArrayList<>();

        void add(PusherEvent event) {
            all.add(event);
            queue.add(event);
        }

        PusherEvent next(String what) throws InterruptedException {
            PusherEvent event = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("timed out waiting for %s", what).isNotNull();
            return event;
        }

        List<String> names() {
            return all.stream().map(PusherEvent::getEventName).toList();
        }
    }

    private static class PrivateListener implements PrivateChannelEventListener {
        final CountDownLatch subscribed = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Events events = new Events();

        @Override
        public void onSubscriptionSucceeded(String channelName) {
            subscribed.countDown();
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            failures.add(message + (e == null ? "" : " / " + e.getMessage()));
            failed.countDown();
        }

        @Override
        public void onEvent(PusherEvent event) {
            events.add(event);
        }
    }

    private static final class PresenceListener extends PrivateListener implements PresenceChannelEventListener {
        volatile Set<User> initialUsers;
        final CountDownLatch usersReceived = new CountDownLatch(1);
        final BlockingQueue<User> joined = new LinkedBlockingQueue<>();
        final BlockingQueue<User> left = new LinkedBlockingQueue<>();

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
            initialUsers = Set.copyOf(users);
            usersReceived.countDown();
        }

        @Override
        public void userSubscribed(String channelName, User user) {
            joined.add(user);
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
            left.add(user);
        }
    }
}
