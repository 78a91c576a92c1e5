package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.Limits;
import dev.realtime.RealtimeBuilder;
import dev.realtime.http.HttpTransport;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The properties' defaults are the library's own, and IDEs get a description for every one. */
class RealtimePropertiesTest {

    @Test
    void theDefaultLimitsAreTheLibrarysDefaults() {
        assertThat(new RealtimeProperties().getLimits().toLimits()).usingRecursiveComparison().isEqualTo(Limits.defaults());
    }

    @Test
    void theDefaultTimingsAreTheLibrarysDefaults() {
        RealtimeProperties p = new RealtimeProperties();
        assertThat(p.getActivityTimeout()).isEqualTo(RealtimeBuilder.DEFAULT_ACTIVITY_TIMEOUT);
        assertThat(p.getPongTimeout()).isEqualTo(RealtimeBuilder.DEFAULT_PONG_TIMEOUT);
        assertThat(p.getCacheTtl()).isEqualTo(RealtimeBuilder.DEFAULT_CACHE_TTL);
        assertThat(p.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(RealtimeBuilder.DEFAULT_HEARTBEAT_SECONDS));
        assertThat(p.getNodeTimeout()).isEqualTo(Duration.ofSeconds(RealtimeBuilder.DEFAULT_NODE_TIMEOUT_SECONDS));
        RealtimeProperties.Http http = p.getHttp();
        assertThat(http.getPath()).isEqualTo(HttpTransport.DEFAULT_PATH);
        assertThat(http.getMaxSessions()).isEqualTo(HttpTransport.DEFAULT_MAX_SESSIONS);
        assertThat(http.getMaxSessionsPerIp()).isEqualTo(HttpTransport.DEFAULT_MAX_SESSIONS_PER_IP);
        assertThat(http.getHeartbeatInterval()).isEqualTo(HttpTransport.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(http.getPollTimeout()).isEqualTo(HttpTransport.DEFAULT_POLL_TIMEOUT);
    }

    @Test
    void everyPropertyHasADescriptionInTheGeneratedMetadata() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json (spring-boot-configuration-processor)").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> byName = new HashMap<>();
        metadata.path("properties").forEach(p -> byName.put(p.path("name").asText(), p));
        assertThat(byName).containsKeys("realtime.app-id", "realtime.app-key", "realtime.app-secret", "realtime.broker",
                "realtime.node-id", "realtime.client-events", "realtime.cache-ttl", "realtime.encryption-master-key",
                "realtime.limits.max-payload-bytes", "realtime.limits.inbound-messages-per-second",
                "realtime.websocket.enabled", "realtime.http.streaming.enabled", "realtime.http.polling.enabled",
                "realtime.auth.channel-path", "realtime.http-api.enabled", "realtime.shutdown-timeout");
        byName.forEach((name, p) -> assertThat(p.path("description").asText()).as("description of %s", name)
                .isNotBlank().isNotEqualTo("Whether to serve it."));
        assertThat(byName.get("realtime.limits.max-payload-bytes").path("defaultValue").asInt())
                .isEqualTo(Limits.DEFAULT_MAX_PAYLOAD_BYTES);
    }
}
