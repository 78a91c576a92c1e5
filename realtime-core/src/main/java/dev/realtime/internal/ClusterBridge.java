package dev.realtime.internal;

import dev.realtime.spi.DaemonThreads;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Links the node to the others through a {@link Broker}: publishes {@link Envelope}s and fans out
 * what other nodes publish. Topics ({@link Topics}) follow local interest: a channel's while it has
 * a local subscriber, a user's while the user has a local signed-in connection, and always control.
 * On the broker every topic is namespaced by the app id ({@code app.{id}.channel.news}), so the
 * clusters of different apps can share one Redis, NATS or RabbitMQ server without seeing each other.
 */
final class ClusterBridge implements BrokerListener {
    /** What the bridge needs of its node. */
    interface LocalNode {
        /** Fans a frame out to the channel's local subscribers, except one socket (null: all). */
        void deliverToChannel(String channel, String frame, String exceptSocketId);

        /** Delivers a frame to the user's local connections. */
        void deliverToUser(String userId, String frame);

        /** Whether the node has local interest in the topic now. */
        boolean wants(Topics.Topic topic);
    }

    private final Broker broker;
    private final String nodeId;
    /** Put before every topic on the broker: {@code app.{appId}.}. */
    private final String namespace;
    private final ListenerDispatcher dispatcher;
    private volatile LocalNode node;
    private volatile java.util.function.Consumer<Envelope> control = env -> { };
    private volatile Runnable afterUp = () -> { };
    private volatile Runnable onDown = () -> { };
    private volatile boolean brokerUp = true;
    /** Topic changes are reconciled one at a time, so a late unsubscribe never undoes a newer subscribe. */
    private final ExecutorService reconciler;
    private final Set<String> subscribed = new HashSet<>();

    ClusterBridge(Broker broker, String appId, String nodeId, ListenerDispatcher dispatcher) {
        this.broker = broker;
        this.namespace = namespace(appId);
        this.nodeId = nodeId;
        this.dispatcher = dispatcher;
        this.reconciler = Executors.newSingleThreadExecutor(DaemonThreads.named("realtime-broker-" + nodeId));
    }

    /**
     * Connects the broker; from now on envelopes from other nodes go to {@code node}, control ones to
     * {@code control}; {@code onDown} runs when the broker connection is lost (on the broker's thread),
     * {@code afterUp} once the topics are subscribed again after an outage.
     */
    void start(LocalNode node, java.util.function.Consumer<Envelope> control, Runnable onDown, Runnable afterUp) {
        this.node = node;
        this.control = control;
        this.onDown = onDown;
        this.afterUp = afterUp;
        broker.start(this);
        broker.subscribe(namespace + Topics.CONTROL);
    }

    /** The broker-side prefix of an app's topics. */
    static String namespace(String appId) {
        return "app." + appId + ".";
    }

    void publishEvent(String channel, String frame, String except) {
        publish(Topics.channel(channel), Envelope.event(nodeId, channel, except, frame));
    }

    void publishUser(String userId, String frame) {
        publish(Topics.user(userId), Envelope.user(nodeId, userId, frame));
    }

    /** Publishes a node-to-node message on the control topic. */
    void publishControl(Envelope envelope) {
        publish(Topics.CONTROL, envelope);
    }

    private void publish(String topic, Envelope envelope) {
        try {
            broker.publish(namespace + topic, envelope.encode());
        } catch (RuntimeException e) {
            dispatcher.error("broker publish to " + topic + " failed", e);
        }
    }

    /** Local interest in {@code topic} may have changed; reconcile the broker subscription. */
    void interestChanged(String topic) {
        reconciler.execute(() -> {
            Topics.Topic parsed = Topics.parse(topic);
            LocalNode local = node;
            boolean wanted = parsed != null && local != null && local.wants(parsed);
            try {
                if (wanted && subscribed.add(topic)) {
                    broker.subscribe(namespace + topic);
                } else if (!wanted && subscribed.remove(topic)) {
                    broker.unsubscribe(namespace + topic);
                }
            } catch (RuntimeException e) {
                dispatcher.error("broker (un)subscribe of " + topic + " failed", e);
            }
        });
    }

    @Override
    public void onMessage(String brokerTopic, byte[] bytes) {
        if (!brokerTopic.startsWith(namespace)) {
            return; // another app's cluster on the same broker (a broker delivers only what was subscribed; this is a guard)
        }
        String topic = brokerTopic.substring(namespace.length());
        Envelope env = Envelope.decode(bytes);
        if (env == null) {
            dispatcher.error("unreadable envelope on " + topic, new IllegalArgumentException(topic));
            return;
        }
        LocalNode local = node;
        if (local == null || nodeId.equals(env.origin())) {
            return;
        }
        if (Topics.CONTROL.equals(topic)) {
            control.accept(env);
            return;
        }
        if (env.field("frame") == null) {
            return;
        }
        switch (env.kind()) {
            case Envelope.EVENT -> {
                if (env.field("channel") != null) {
                    local.deliverToChannel(env.field("channel"), env.field("frame"), env.field("except"));
                }
            }
            case Envelope.USER -> {
                if (env.field("user") != null) {
                    local.deliverToUser(env.field("user"), env.field("frame"));
                }
            }
            default -> { /* kinds of later versions are ignored */ }
        }
    }

    @Override
    public void onBrokerDown(Throwable cause) {
        brokerUp = false;
        onDown.run();
        dispatcher.error("broker connection lost", cause);
    }

    @Override
    public void onBrokerUp() {
        brokerUp = true;
        reconciler.execute(() -> {
            broker.subscribe(namespace + Topics.CONTROL);
            for (String topic : subscribed) {
                broker.subscribe(namespace + topic);
            }
            afterUp.run();
        });
    }

    /** Whether the broker connection is up, as last told by the broker. */
    boolean brokerUp() {
        return brokerUp;
    }

    void close() {
        reconciler.shutdown();
        broker.close();
    }
}
