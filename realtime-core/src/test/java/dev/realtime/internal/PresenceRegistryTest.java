package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.Member;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Presence entries keyed by (channel, user), each owned by a node: members counted once per user, cluster-wide. */
class PresenceRegistryTest {
    private static final Member ANN = Member.of("1", Map.of("name", "Ann"));
    private static final Member BEN = Member.of("2", Map.of("name", "Ben"));
    private final PresenceRegistry registry = new PresenceRegistry();

    @Test
    void aUserIsAddedOnItsFirstEntryAndRemovedWithItsLastWhateverNodeHoldsThem() {
        assertThat(registry.add("presence-a", ANN, "{\"name\":\"Ann\"}", "1.1", "n1", 10)).isEqualTo(PresenceRegistry.Added.MEMBER_ADDED);
        assertThat(registry.add("presence-a", ANN, "{\"name\":\"Ann\"}", "2.2", "n2", 10)).isEqualTo(PresenceRegistry.Added.ENTRY_ADDED);
        assertThat(registry.add("presence-a", ANN, "{\"name\":\"Ann\"}", "1.3", "n1", 10)).isEqualTo(PresenceRegistry.Added.ENTRY_ADDED);
        assertThat(registry.count("presence-a")).isEqualTo(1);

        assertThat(registry.remove("presence-a", "1", "1.1", "n1")).isNull();
        assertThat(registry.remove("presence-a", "1", "2.2", "n2")).isNull();
        assertThat(registry.remove("presence-a", "1", "2.2", "n2")).as("an entry goes once").isNull();
        assertThat(registry.remove("presence-a", "1", "1.3", "n1")).isEqualTo(ANN);
        assertThat(registry.count("presence-a")).isZero();
        assertThat(registry.members("presence-a")).isEmpty();
    }

    @Test
    void anEntryIsTheSocketOnItsNodeTheSameSocketIdOnAnotherNodeIsAnotherEntry() {
        registry.add("presence-a", ANN, "{}", "7.7", "n1", 10);
        registry.add("presence-a", ANN, "{}", "7.7", "n2", 10);
        assertThat(registry.remove("presence-a", "1", "7.7", "n1")).isNull();
        assertThat(registry.remove("presence-a", "1", "7.7", "n2")).isEqualTo(ANN);
    }

    @Test
    void removingANodeRemovesItsEntriesAndReportsOnlyUsersLeftWithNone() {
        registry.add("presence-a", ANN, "{}", "1.1", "n1", 10);
        registry.add("presence-a", ANN, "{}", "2.1", "n2", 10);
        registry.add("presence-a", BEN, "{}", "2.2", "n2", 10);
        registry.add("presence-b", BEN, "{}", "2.3", "n2", 10);

        assertThat(registry.removeNode("n2")).containsExactlyInAnyOrder(
                new PresenceRegistry.Removal("presence-a", BEN), new PresenceRegistry.Removal("presence-b", BEN));
        assertThat(registry.members("presence-a")).containsExactly(ANN);
        assertThat(registry.count("presence-b")).isZero();
        assertThat(registry.remove("presence-a", "1", "1.1", "n1")).isEqualTo(ANN);
    }

    @Test
    void aFullChannelRefusesNewUsersButTakesMoreEntriesOfItsMembers() {
        registry.add("presence-a", ANN, "{}", "1.1", "n1", 1);
        assertThat(registry.add("presence-a", BEN, "{}", "1.2", "n1", 1)).isEqualTo(PresenceRegistry.Added.FULL);
        assertThat(registry.add("presence-a", ANN, "{}", "1.3", "n1", 1)).isEqualTo(PresenceRegistry.Added.ENTRY_ADDED);
        assertThat(registry.isMember("presence-a", "2")).isFalse();
    }

    @Test
    void thePresenceDataListsMembersInJoinOrderWithTheirFirstUserInfo() {
        registry.add("presence-a", BEN, "{\"name\":\"Ben\"}", "1.1", "n1", 10);
        registry.add("presence-a", ANN, "{\"name\":\"Ann\"}", "1.2", "n2", 10);
        registry.add("presence-a", BEN, "{\"name\":\"Other\"}", "1.3", "n2", 10);
        assertThat(registry.presenceJson("presence-a")).isEqualTo(
                "{\"presence\":{\"ids\":[\"2\",\"1\"],\"hash\":{\"2\":{\"name\":\"Ben\"},\"1\":{\"name\":\"Ann\"}},\"count\":2}}");
        assertThat(registry.presenceJson("presence-empty")).isEqualTo("{\"presence\":{\"ids\":[],\"hash\":{},\"count\":0}}");
    }
}
