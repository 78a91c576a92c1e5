package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.ChannelType;
import dev.realtime.Member;
import dev.realtime.internal.WiredConnections.Wire;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Presence entries of other nodes go through the same registry as local ones: local subscribers see
 * member_added / member_removed once per user, whatever node the user's connections are on, and a
 * node's departure removes what it held. (The cluster's replication will feed these calls.)
 */
class RemotePresenceTest {
    private static final String CH = "presence-room";
    private static final Member ANN = Member.of("1", Map.of("name", "Ann"));
    private static final Member BEN = Member.of("2", Map.of("name", "Ben"));

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final PresenceRegistry registry = new PresenceRegistry();
    private final Channels channels = new Channels(registry, new ChannelEvents() {
        @Override public void subscriptions(String channel, int localCount) { }
        @Override public void localEntryAdded(String channel, Member m, String info, String socketId) { }
        @Override public void localEntryRemoved(String channel, String userId, String socketId) { }
        @Override public void occupied(String channel) { events.add("occupied " + channel); }
        @Override public void vacated(String channel) { events.add("vacated " + channel); }
        @Override public void memberAdded(String channel, Member m) { events.add("added " + m.userId()); }
        @Override public void memberRemoved(String channel, Member m) { events.add("removed " + m.userId()); }
    }, "local", 100, 0);

    private Connection connect(Wire wire, String socketId) {
        return WiredConnections.connect(channels, wire, socketId);
    }

    private static long count(Wire wire, String event, String userId) {
        return wire.frames.stream().filter(f -> f.contains("\"event\":\"" + event + "\"")
                && f.contains("\\\"user_id\\\":\\\"" + userId + "\\\"")).count();
    }

    @Test
    void aRemoteUserJoinsAndLeavesLocalSubscribersOnce() {
        Wire annWire = new Wire();
        Connection ann = connect(annWire, "1.1");
        assertThat(ann.subscribe(CH, ChannelType.PRESENCE, ANN, "{\"name\":\"Ann\"}")).isNull();

        channels.addRemoteMember(CH, BEN, "{\"name\":\"Ben\"}", "9.1", "other");
        channels.addRemoteMember(CH, BEN, "{\"name\":\"Ben\"}", "9.2", "other"); // Ben's second tab there
        assertThat(count(annWire, "pusher_internal:member_added", "2")).isEqualTo(1);
        assertThat(registry.members(CH)).containsExactly(ANN, BEN);
        assertThat(registry.count(CH)).isEqualTo(2);

        // A new local subscriber sees the remote member in its roster.
        Wire latecomer = new Wire();
        connect(latecomer, "1.2").subscribe(CH, ChannelType.PRESENCE, Member.of("3", Map.of()), "{}");
        assertThat(latecomer.frames).anyMatch(f -> f.contains("subscription_succeeded") && f.contains("\\\"2\\\":{\\\"name\\\":\\\"Ben\\\"}"));

        channels.removeRemoteMember(CH, "2", "9.1", "other");
        assertThat(count(annWire, "pusher_internal:member_removed", "2")).as("Ben still has a tab").isZero();
        channels.removeRemoteMember(CH, "2", "9.2", "other");
        assertThat(count(annWire, "pusher_internal:member_removed", "2")).isEqualTo(1);
        assertThat(events).containsSubsequence("added 1", "added 2", "removed 2");
    }

    @Test
    void aUserOnTwoNodesIsOneMemberAndANodeLeavingTakesOnlyWhatItHeld() {
        Wire annWire = new Wire();
        Connection ann = connect(annWire, "1.1");
        ann.subscribe(CH, ChannelType.PRESENCE, ANN, "{}");
        Wire watcherWire = new Wire();
        connect(watcherWire, "1.2").subscribe(CH, ChannelType.PRESENCE, Member.of("3", Map.of()), "{}");

        channels.addRemoteMember(CH, ANN, "{}", "9.1", "other"); // Ann also on another node
        channels.addRemoteMember(CH, BEN, "{}", "9.2", "other");
        assertThat(count(watcherWire, "pusher_internal:member_added", "1")).as("Ann was already here").isZero();

        ann.unsubscribe(CH);
        assertThat(count(watcherWire, "pusher_internal:member_removed", "1")).as("Ann is still on the other node").isZero();

        channels.removeNode("other");
        assertThat(count(watcherWire, "pusher_internal:member_removed", "1")).isEqualTo(1);
        assertThat(count(watcherWire, "pusher_internal:member_removed", "2")).isEqualTo(1);
        assertThat(registry.members(CH)).containsExactly(Member.of("3", Map.of()));
    }
}
