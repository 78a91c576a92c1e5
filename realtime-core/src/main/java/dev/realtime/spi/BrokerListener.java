package dev.realtime.spi;

/** What a {@link Broker} reports to its node. Called on the broker's threads; must not block. */
public interface BrokerListener {
    /** An envelope arrived on {@code topic}. */
    void onMessage(String topic, byte[] envelope);

    /** The broker connection was lost; envelopes published meanwhile may be lost. */
    default void onBrokerDown(Throwable cause) {}

    /** The broker connection is (again) usable; the node resubscribes its topics. */
    default void onBrokerUp() {}
}
