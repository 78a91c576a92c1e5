package dev.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Links the node to the others through a {@link Broker}: publishes envelopes
 * {@code {v, origin, kind, channel|user, except, frame}} and fans out what other nodes publish.
 * Topics follow local interest: {@code channel.{name}} while the channel has a local subscriber,
 * {@code user.{id}} while the user has a local signed-in connection, and always {@code control}.
 */
final class ClusterBridge implements BrokerListener {
    static final String CONTROL = "control";

    private final Broker broker;
    private final String nodeId;
    private final Engine engine;
    /** Topic changes are reconciled one at a time, so a late unsubscribe never undoes a newer subscribe. */
    private final ExecutorService reconciler;
    private final Set<String> subscribed = new HashSet<>();

    ClusterBridge(Broker broker, String nodeId, Engine engine) {
        this.broker = broker;
        this.nodeId = nodeId;
        this.engine = engine;
        this.reconciler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "realtime-broker-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        broker.start(this);
        broker.subscribe(CONTROL);
    }

    void publishEvent(String channel, String frame, String except) {
        publish("channel." + channel, "event", "channel", channel, except, frame);
    }

    void publishUser(String userId, String frame) {
        publish("user." + userId, "user", "user", userId, null, frame);
    }

    private void publish(String topic, String kind, String key, String value, String except, String frame) {
        StringBuilder sb = new StringBuilder(frame.length() + 128);
        sb.append("{\"v\":1,\"origin\":");
        Json.quote(sb, nodeId).append(",\"kind\":\"").append(kind).append("\",\"").append(key).append("\":");
        Json.quote(sb, value);
        if (except != null) {
            Json.quote(sb.append(",\"except\":"), except);
        }
        Json.quote(sb.append(",\"frame\":"), frame).append('}');
        try {
            broker.publish(topic, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            engine.dispatcher().error("broker publish to " + topic + " failed", e);
        }
    }

    /** Local interest in {@code topic} may have changed; reconcile the broker subscription. */
    void interestChanged(String topic) {
        reconciler.execute(() -> {
            boolean wanted = engine.wantsTopic(topic);
            try {
                if (wanted && subscribed.add(topic)) {
                    broker.subscribe(topic);
                } else if (!wanted && subscribed.remove(topic)) {
                    broker.unsubscribe(topic);
                }
            } catch (RuntimeException e) {
                engine.dispatcher().error("broker (un)subscribe of " + topic + " failed", e);
            }
        });
    }

    @Override
    public void onMessage(String topic, byte[] envelope) {
        JsonNode env = Json.readOrNull(new String(envelope, StandardCharsets.UTF_8));
        if (env == null || !env.isObject() || env.path("v").asInt() != 1) {
            engine.dispatcher().error("unreadable envelope on " + topic, new IllegalArgumentException(topic));
            return;
        }
        if (nodeId.equals(env.path("origin").asText())) {
            return;
        }
        String frame = env.path("frame").asText();
        switch (env.path("kind").asText()) {
            case "event" -> engine.channels().publishLocal(env.path("channel").asText(), frame,
                    env.hasNonNull("except") ? env.get("except").asText() : null);
            case "user" -> engine.deliverToUser(env.path("user").asText(), frame);
            default -> { /* kinds of later versions are ignored */ }
        }
    }

    @Override
    public void onBrokerDown(Throwable cause) {
        engine.dispatcher().error("broker connection lost", cause);
    }

    @Override
    public void onBrokerUp() {
        reconciler.execute(() -> {
            broker.subscribe(CONTROL);
            for (String topic : subscribed) {
                broker.subscribe(topic);
            }
        });
    }

    void close() {
        reconciler.shutdown();
        broker.close();
    }
}
