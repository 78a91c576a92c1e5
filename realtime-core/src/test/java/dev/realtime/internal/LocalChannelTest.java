package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.ChannelType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A channel's subscribers: a set for changes and lookups, and the array fan-out reads, which stays
 * in subscription order, follows every change, and is not rebuilt while nothing changes.
 */
class LocalChannelTest {
    private final Channels channels = new Channels(new PresenceRegistry(), new ChannelEvents() {
        @Override public void subscriptions(String channel, int localCount) { }
        @Override public void localEntryAdded(String channel, dev.realtime.Member m, String info, String socketId) { }
        @Override public void localEntryRemoved(String channel, String userId, String socketId) { }
        @Override public void occupied(String channel) { }
        @Override public void vacated(String channel) { }
        @Override public void memberAdded(String channel, dev.realtime.Member m) { }
        @Override public void memberRemoved(String channel, dev.realtime.Member m) { }
    }, "local", 100, 0);

    private Connection connection(String socketId) {
        return WiredConnections.connect(channels, new WiredConnections.Wire(), socketId);
    }

    @Test
    void fanOutSeesEveryChangeInSubscriptionOrder() {
        LocalChannel ch = new LocalChannel("news", ChannelType.PUBLIC);
        List<Connection> cs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cs.add(connection("1." + i));
            ch.add(cs.get(i));
        }
        assertThat(ch.subscribers()).containsExactly(cs.toArray(new Connection[0]));
        assertThat(ch.remove(cs.get(2))).isTrue();
        assertThat(ch.remove(cs.get(2))).as("already removed").isFalse();
        assertThat(ch.contains(cs.get(2))).isFalse();
        assertThat(ch.contains(cs.get(3))).isTrue();
        assertThat(ch.subscribers()).containsExactly(cs.get(0), cs.get(1), cs.get(3), cs.get(4));
        ch.add(cs.get(0)); // already subscribed: no duplicate, order kept
        ch.add(cs.get(2));
        assertThat(ch.subscribers()).containsExactly(cs.get(0), cs.get(1), cs.get(3), cs.get(4), cs.get(2));
        assertThat(ch.size()).isEqualTo(5);
    }

    @Test
    void theSnapshotIsReusedUntilTheNextChange() {
        LocalChannel ch = new LocalChannel("news", ChannelType.PUBLIC);
        assertThat(ch.subscribers()).isEmpty();
        Connection a = connection("1.1");
        ch.add(a);
        Connection[] first = ch.subscribers();
        assertThat(ch.subscribers()).as("no change, no copy").isSameAs(first);
        ch.add(connection("1.2"));
        assertThat(ch.subscribers()).isNotSameAs(first).hasSize(2);
        ch.remove(a);
        ch.remove(ch.subscribers()[0]);
        assertThat(ch.subscribers()).isEmpty();
    }

    @Test
    void tenThousandSubscribersOfOneChannelAreEachDeliveredOnce() {
        LocalChannel ch = new LocalChannel("crowd", ChannelType.PUBLIC);
        List<Connection> cs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Connection c = connection("2." + i);
            cs.add(c);
            ch.add(c);
        }
        for (int i = 0; i < 10_000; i += 2) {
            ch.remove(cs.get(i));
        }
        assertThat(ch.size()).isEqualTo(5_000);
        assertThat(ch.subscribers()).hasSize(5_000).doesNotHaveDuplicates();
        assertThat(ch.subscribers()[0]).isSameAs(cs.get(1));
    }
}
