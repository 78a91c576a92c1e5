package dev.realtime.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.spi.BrokerServers;
import dev.realtime.spi.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outages against the shared RabbitMQ server: the server closes this test's connections
 * ({@code rabbitmqctl close_connection}), amqp-client recovers them, the broker restores its queue.
 */
class RabbitMqBrokerReconnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String URI = RabbitMqBrokerContractTest.URI;
    private static final String ROOM = "channel.presence-room.1";

    private final String exchange = RabbitMqAdmin.exchangeForTest();
    private final String run = UUID.randomUUID().toString();
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void requireRabbitMq() {
        BrokerServers.require("RabbitMQ", "127.0.0.1", 5672, "rabbitmq-server -detached (or bash .ci/run)");
        BrokerServers.requireCommand("rabbitmqctl", "apt-get install rabbitmq-server");
    }

    @AfterAll
    static void deleteExchanges() {
        RabbitMqAdmin.deleteTestExchanges(URI);
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
    }

    private TestNode node(String name, Duration reconnectDelay) {
        TestNode n = TestNode.start(name, RabbitMqBroker.builder().uri(URI).exchange(exchange)
                .connectionName(connectionName(name)).reconnectDelay(reconnectDelay, reconnectDelay).build());
        nodes.add(n);
        return n;
    }

    private String connectionName(String node) {
        return "realtime-reconnect-test-" + run + "-" + node;
    }

    @Test
    void resubscribesAfterTheServerClosesTheConnectionsAndDropsWhatWasPublishedMeanwhile() throws Exception {
        TestNode a = node("a", Duration.ofSeconds(2)); // down long enough to publish into the outage
        TestNode b = node("b", Duration.ofMillis(200));
        b.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), TIMEOUT, b);

        RabbitMqAdmin.closeConnection(connectionName("a"));
        RabbitMqAdmin.closeConnection(connectionName("b"));
        a.listener().awaitEvent("down", 1, TIMEOUT);
        a.publish(ROOM, "while down");
        a.listener().awaitEvent("up", 1, TIMEOUT);
        b.listener().awaitEvent("up", 1, TIMEOUT);
        a.publish(ROOM, "after");

        b.listener().awaitReceived(ROOM, "after".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(b.listener().receivedText(ROOM)).as("nothing queued while down").containsExactly("after");
        assertThat(a.listener().events()).containsExactly("down", "up");
        assertThat(b.listener().events()).containsExactly("down", "up");
    }

    @Test
    void keepsTopicsSubscribedAfterTheOutageAndTakesNewOnes() throws Exception {
        TestNode a = node("a", Duration.ofMillis(200));
        a.subscribe(ROOM);
        a.awaitSubscribed(List.of(ROOM), TIMEOUT, a);

        RabbitMqAdmin.closeConnection(connectionName("a"));
        a.listener().awaitEvent("up", 1, TIMEOUT);
        a.subscribe("user.42");
        a.awaitSubscribed(List.of("user.42"), TIMEOUT, a);
        a.publish(ROOM, "room");
        a.publish("user.42", "user");

        a.listener().awaitReceived(ROOM, "room".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        a.listener().awaitReceived("user.42", "user".getBytes(StandardCharsets.UTF_8), TIMEOUT);
        assertThat(a.listener().events()).containsExactly("down", "up");
    }
}
