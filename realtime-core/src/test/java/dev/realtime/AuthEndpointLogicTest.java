package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.internal.Json;
import dev.realtime.internal.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code authorizeChannel} and {@code authenticateUser}: the bodies of PROTOCOL.md §3, or refusals. */
class AuthEndpointLogicTest extends RealtimeTestSupport {
    private static final String SOCKET = "1234.1234";
    private final Signer signer = new Signer(SECRET);
    private final byte[] master = new byte[32];
    private final Realtime realtime = Realtime.builder().app(APP_ID, KEY, SECRET)
            .authorize("private-user.{id}", (u, c) -> u.id().equals(c.param("id")))
            .authorize("private-encrypted-doc.*", (u, c) -> true)
            .authorize("private-boom", (u, c) -> { throw new IllegalStateException("bug"); })
            .presence("presence-room.{room}", (u, c) -> "locked".equals(c.param("room")) ? null
                    : Member.of(u.id(), Map.of("name", u.info().get("name"))))
            .encryptionMasterKey(Base64.getEncoder().encodeToString(master))
            .build();

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void privateBodyIsSignedForSocketAndChannel() {
        AuthResponse r = realtime.authorizeChannel(SOCKET, "private-user.1", ALICE);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"auth\":\"" + KEY + ":" + signer.sign(SOCKET + ":private-user.1") + "\"}");
    }

    @Test
    void presenceBodyCarriesChannelDataItSigns() {
        AuthResponse r = realtime.authorizeChannel(SOCKET, "presence-room.7", ALICE);
        JsonNode body = Json.readOrNull(r.body());
        String channelData = body.get("channel_data").asText();
        assertThat(channelData).isEqualTo("{\"user_id\":\"1\",\"user_info\":{\"name\":\"Alice\"}}");
        assertThat(body.get("auth").asText()).isEqualTo(KEY + ":" + signer.sign(SOCKET + ":presence-room.7:" + channelData));
    }

    @Test
    void encryptedBodyCarriesPushersSharedSecret() throws Exception {
        JsonNode body = Json.readOrNull(realtime.authorizeChannel(SOCKET, "private-encrypted-doc.1", ALICE).body());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("private-encrypted-doc.1".getBytes(StandardCharsets.UTF_8));
        sha.update(master);
        assertThat(body.get("shared_secret").asText()).isEqualTo(Base64.getEncoder().encodeToString(sha.digest()));
    }

    @Test
    void refusalsHaveTheRightStatus() {
        assertThat(realtime.authorizeChannel(SOCKET, "private-user.1", null).status()).isEqualTo(401);
        assertThat(realtime.authorizeChannel(SOCKET, "private-user.2", ALICE).status()).isEqualTo(403);
        assertThat(realtime.authorizeChannel(SOCKET, "presence-room.locked", ALICE).status()).isEqualTo(403);
        assertThat(realtime.authorizeChannel(SOCKET, "private-unmatched", ALICE).status()).isEqualTo(403);
        assertThat(realtime.authorizeChannel("abc", "private-user.1", ALICE).status()).isEqualTo(400);
        assertThat(realtime.authorizeChannel(SOCKET, "news", ALICE).status()).isEqualTo(400);
        assertThat(realtime.authorizeChannel(SOCKET, "private-bad name", ALICE).status()).isEqualTo(400);
        AuthResponse boom = realtime.authorizeChannel(SOCKET, "private-boom", ALICE);
        assertThat(boom.status()).isEqualTo(500);
        assertThat(boom.error()).contains("authorizer failed");
    }

    @Test
    void userAuthenticationSignsUserData() {
        AuthResponse r = realtime.authenticateUser(SOCKET, ALICE);
        JsonNode body = Json.readOrNull(r.body());
        String userData = body.get("user_data").asText();
        assertThat(Json.readOrNull(userData).get("id").asText()).isEqualTo("1");
        assertThat(body.get("auth").asText()).isEqualTo(KEY + ":" + signer.sign(SOCKET + "::user::" + userData));
        assertThat(realtime.authenticateUser(SOCKET, null).status()).isEqualTo(401);
    }

    @Test
    void authenticatorDefaultsToAnonymous() {
        assertThat(realtime.authenticate(new AuthRequest() {
            public String header(String name) { return "Bearer x"; }
            public String cookie(String name) { return null; }
            public String parameter(String name) { return null; }
        })).isNull();
    }
}
