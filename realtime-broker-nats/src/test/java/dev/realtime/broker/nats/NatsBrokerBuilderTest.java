package dev.realtime.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NatsBrokerBuilderTest {
    @Test
    void acceptsNatsAndTlsUrisWithCredentials() {
        assertThat(NatsBroker.connect("nats://127.0.0.1:4222").toString()).contains("nats://127.0.0.1:4222");
        assertThat(NatsBroker.connect("nats://user:secret@127.0.0.1:4222").toString()).doesNotContain("secret");
        assertThat(NatsBroker.connect("nats://s3cr3t-token@127.0.0.1:4222").toString()).doesNotContain("s3cr3t");
        assertThat(NatsBroker.connect("tls://nats-1.internal:4222,tls://nats-2.internal:4222").toString())
                .contains("tls://nats-1.internal:4222,tls://nats-2.internal:4222");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> NatsBroker.builder().uri("redis://host").subjectPrefix("a.*").publishQueueCapacity(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scheme must be one of")
                .hasMessageContaining("subjectPrefix")
                .hasMessageContaining("publishQueueCapacity");
        assertThatThrownBy(() -> NatsBroker.builder().build()).hasMessageContaining("uri is required");
    }

    @Test
    void subjectsKeepTheTopicsDotsAndEscapeTheRest() {
        assertThat(Subjects.of("realtime", "channel.presence-room.1")).isEqualTo("realtime.channel.presence-room.1");
        assertThat(Subjects.of("realtime", "control")).isEqualTo("realtime.control");
        assertThat(Subjects.of("realtime", "channel.#server-to-user-42")).isEqualTo("realtime.channel._23server-to-user-42");
        assertThat(Subjects.of("realtime", "channel.a_b")).isEqualTo("realtime.channel.a_5Fb");
        assertThat(Subjects.of("realtime", "channel.a..b")).isEqualTo("realtime.channel.a._.b");
        assertThat(Subjects.of("realtime", "channel.>")).isEqualTo("realtime.channel._3E");
        assertThat(Subjects.of("realtime", "user.ü")).isEqualTo("realtime.user._C3_BC");
    }

    @Test
    void subjectsNeverCollide() {
        List<String> topics = List.of("channel.a.b", "channel.a_b", "channel.a_2Eb", "channel.a._2Eb", "channel.a.",
                "channel.a", "channel..a", "channel._", "channel.__", "channel.", "channel", "channel._5F", "channel.*",
                "channel.a b", "channel.a-b", "channel.A-b", "user.42", "user.4.2", "control", "channel.x" + "y".repeat(2000),
                "channel.x" + "y".repeat(2001));
        Set<String> subjects = new HashSet<>();
        for (String t : topics) {
            String s = Subjects.of("realtime", t);
            assertThat(s).as(t).matches("realtime(\\.[A-Za-z0-9_-]+)+").hasSizeLessThanOrEqualTo(Subjects.MAX_LENGTH);
            assertThat(subjects.add(s)).as("subject of " + t + " is unique: " + s).isTrue();
        }
    }
}
