package dev.realtime.spi;

/**
 * Moves envelopes between the nodes of a cluster. At-most-once, ordered per topic. Implementations
 * reconnect on their own after an outage and report it through {@link BrokerListener#onBrokerDown()}
 * and {@link BrokerListener#onBrokerUp()}; the node then subscribes its topics again.
 * {@link #publish}, {@link #subscribe} and {@link #unsubscribe} may be called from any thread and
 * must not block on the network for long (queue and return).
 */
public interface Broker {
    /** Connects; inbound envelopes go to {@code listener} on the broker's own thread(s). */
    void start(BrokerListener listener);

    /** Publishes one envelope to every node subscribed to {@code topic} (the publisher included). */
    void publish(String topic, byte[] envelope);

    /** Starts receiving envelopes published to {@code topic}; idempotent. */
    void subscribe(String topic);

    /** Stops receiving {@code topic}; idempotent. */
    void unsubscribe(String topic);

    /**
     * Disconnects, after sending what was published before (waiting at most the broker's timeout): a
     * node's goodbye to the cluster is its last envelope. Later calls to any method are ignored.
     */
    void close();
}
