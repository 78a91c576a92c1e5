package dev.realtime.testing;

import dev.realtime.spi.Broker;
import dev.realtime.spi.BrokerListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker without a network, to run several nodes in one JVM (in tests, or to try a cluster):
 * <pre>{@code
 * InMemoryBroker bus = new InMemoryBroker();
 * Realtime a = Realtime.builder().nodeId("a").broker(bus.node()) ... .build();
 * Realtime b = Realtime.builder().nodeId("b").broker(bus.node()) ... .build();
 * }</pre>
 * Each node gets its own {@link Node}. An envelope published on a topic is handed to every node
 * subscribed to that topic (the publisher included, as real brokers do), synchronously on the
 * publishing thread: delivery is ordered per topic and deterministic, so tests need no waiting for
 * the broker itself (only for the nodes' own asynchronous subscription changes, see
 * {@link Node#subscriptions()}). {@link Node#outage} and {@link Node#restore} simulate a lost and
 * regained broker connection.
 */
public final class InMemoryBroker {
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();

    /** A new broker connection for one node. */
    public Node node() {
        Node n = new Node();
        nodes.add(n);
        return n;
    }

    /** Every topic published to so far, in order (one entry per envelope). */
    public List<String> published() {
        return List.copyOf(published);
    }

    private void deliver(String topic, byte[] envelope) {
        published.add(topic);
        for (Node n : nodes) {
            BrokerListener l = n.listener;
            if (l != null && n.up && n.topics.contains(topic)) {
                l.onMessage(topic, envelope);
            }
        }
    }

    /** One node's connection to the in-memory broker. */
    public final class Node implements Broker {
        private final Set<String> topics = ConcurrentHashMap.newKeySet();
        private volatile BrokerListener listener;
        private volatile boolean up = true;

        private Node() {
        }

        @Override
        public void start(BrokerListener listener) {
            this.listener = listener;
        }

        /** Delivers to every subscribed node; dropped (at-most-once) while this node's connection is down. */
        @Override
        public void publish(String topic, byte[] envelope) {
            if (up) {
                deliver(topic, envelope);
            }
        }

        @Override
        public void subscribe(String topic) {
            topics.add(topic);
        }

        @Override
        public void unsubscribe(String topic) {
            topics.remove(topic);
        }

        @Override
        public void close() {
            nodes.remove(this);
            listener = null;
        }

        /** The topics this node is subscribed to now. */
        public Set<String> subscriptions() {
            return Set.copyOf(topics);
        }

        /** Simulates a lost broker connection: nothing is delivered to or from this node until {@link #restore}. */
        public void outage(Throwable cause) {
            up = false;
            BrokerListener l = listener;
            if (l != null) {
                l.onBrokerDown(cause);
            }
        }

        /** The connection is back: the node is told, and resubscribes its topics. */
        public void restore() {
            up = true;
            BrokerListener l = listener;
            if (l != null) {
                l.onBrokerUp();
            }
        }
    }
}
