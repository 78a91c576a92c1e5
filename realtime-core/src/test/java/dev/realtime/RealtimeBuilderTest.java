package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RealtimeBuilderTest {
    @Test
    void missingCredentialsSayWhatToCall() {
        assertThatThrownBy(() -> Realtime.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("app(id, key, secret)");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> Realtime.builder().app("1", "", "s")
                .authorize("presence-x", (u, c) -> true)
                .activityTimeout(Duration.ofMillis(10))
                .encryptionMasterKey("not base64!")
                .nodeId("bad id")
                .build())
                .hasMessageContaining("app key must not be blank")
                .hasMessageContaining("use presence(")
                .hasMessageContaining("activityTimeout must be at least 1 second")
                .hasMessageContaining("encryptionMasterKey is not valid base64")
                .hasMessageContaining("nodeId must be");
    }

    @Test
    void keyWithColonIsRefused() {
        assertThatThrownBy(() -> Realtime.builder().app("1", "a:b", "s").build()).hasMessageContaining("':'");
    }

    @Test
    void limitsRejectNonPositiveAndInconsistentValues() {
        assertThatThrownBy(() -> Limits.builder().maxPayloadBytes(0)).hasMessageContaining("maxPayloadBytes must be positive");
        assertThatThrownBy(() -> Limits.builder().maxPayloadBytes(100).maxMessageBytes(50).build())
                .hasMessageContaining("must not exceed maxMessageBytes");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Limits l = Limits.defaults();
        assertThat(l.maxPayloadBytes()).isEqualTo(10 * 1024);
        assertThat(l.clientEventsPerSecond()).isEqualTo(10);
        assertThat(l.maxBroadcastChannels()).isEqualTo(100);
        assertThat(l.maxPresenceMembers()).isEqualTo(100);
        try (Realtime r = Realtime.builder().app("1", "k", "s").build()) {
            assertThat(r.limits()).isSameAs(Limits.defaults());
            assertThat(r.app().toString()).doesNotContain("s]").contains("***");
        }
    }

    @Test
    void aBrokerUriWithoutItsModuleOrWithoutASchemeIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> Realtime.builder().app("1", "k", "s").broker("redis://127.0.0.1:6379").build())
                .hasMessageContaining("no broker for 'redis://' URIs").hasMessageContaining("realtime-broker-redis");
        assertThatThrownBy(() -> Realtime.builder().app("1", "k", "s").broker("127.0.0.1:6379").build())
                .hasMessageContaining("has no scheme");
    }

    @Test
    void clusterTimingsAreValidated() {
        assertThatThrownBy(() -> Realtime.builder().app("1", "k", "s").heartbeatInterval(java.time.Duration.ofSeconds(2))
                .nodeTimeout(java.time.Duration.ofSeconds(3)).build())
                .hasMessageContaining("nodeTimeout (PT3S) must be at least twice heartbeatInterval (PT2S)");
        assertThatThrownBy(() -> Realtime.builder().app("1", "k", "s").heartbeatInterval(java.time.Duration.ofMillis(10)).build())
                .hasMessageContaining("heartbeatInterval must be at least 100 ms");
    }
}
