package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.internal.ApiError;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The container-neutral Pusher HTTP API: authenticated before the body, then run against the node. */
class PusherHttpApiTest extends RealtimeTestSupport {
    private static final long NOW = 1_700_000_000L;
    private final InMemoryTransport memory = new InMemoryTransport();
    private final Realtime realtime = builder(memory).build();
    private final PusherHttpApi api = new PusherHttpApi(realtime, () -> NOW);
    private final HttpApiSignature signer = new HttpApiSignature(realtime.app(), () -> NOW, 600);

    @AfterEach
    void close() {
        realtime.close();
    }

    private Map<String, String> signed(String method, String path, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_timestamp", Long.toString(NOW));
        return signer.signedQuery(method, path, params, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedPublishReachesTheSubscribers() {
        TestClient alice = memory.connect(ALICE).subscribe("news");
        String body = "{\"name\":\"flash\",\"channels\":[\"news\"],\"data\":\"{\\\"x\\\":1}\"}";
        PusherHttpApi.Call call = api.open("POST", "/apps/3/events", signed("POST", "/apps/3/events", body));
        assertThat(call.refusal()).isNull();
        PusherHttpApi.Answer answer = call.complete(body.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(alice.awaitEvent("news", "flash").data()).isEqualTo("{\"x\":1}");
    }

    @Test
    void refusalsComeBeforeTheBody() {
        Map<String, String> query = signed("POST", "/apps/3/events", "{}");
        assertThat(api.open("POST", "/apps/3/nothing", query).refusal().status()).isEqualTo(404);
        assertThat(api.open("POST", "/apps/9/events", query).refusal().status()).isEqualTo(404);
        PusherHttpApi.Answer wrongMethod = api.open("GET", "/apps/3/events", query).refusal();
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.allow()).isEqualTo("POST");
        Map<String, String> forged = new LinkedHashMap<>(query);
        forged.put("auth_signature", "0".repeat(64));
        PusherHttpApi.Answer bad = api.open("POST", "/apps/3/events", forged).refusal();
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).contains("auth_signature");
        assertThat(api.open("GET", "/apps/3/channels/bad%zz", Map.of()).refusal().status()).isEqualTo(400);
    }

    @Test
    void aBodyThatIsNotTheSignedOneIsRefusedAndSendsNothing() {
        TestClient alice = memory.connect(ALICE).subscribe("news");
        String body = "{\"name\":\"flash\",\"channels\":[\"news\"],\"data\":\"1\"}";
        PusherHttpApi.Call call = api.open("POST", "/apps/3/events", signed("POST", "/apps/3/events", body));
        PusherHttpApi.Answer answer = call.complete(body.replace("1", "2").getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("body_md5");
        realtime.broadcast("news", "marker", "{}");
        assertThat(alice.awaitEvent("news", "marker")).isNotNull();
        assertThat(alice.frames()).noneMatch(f -> "flash".equals(f.event()));
    }

    @Test
    void badEventsGetTheirStatusAndMessage() {
        String oversized = "{\"name\":\"e\",\"channel\":\"news\",\"data\":\"" + "x".repeat(realtime.limits().maxPayloadBytes() + 1) + "\"}";
        PusherHttpApi.Answer big = api.open("POST", "/apps/3/events", signed("POST", "/apps/3/events", oversized))
                .complete(oversized.getBytes(StandardCharsets.UTF_8));
        assertThat(big.status()).isEqualTo(413);
        String noName = "{\"channel\":\"news\",\"data\":\"1\"}";
        PusherHttpApi.Answer missing = api.open("POST", "/apps/3/events", signed("POST", "/apps/3/events", noName))
                .complete(noName.getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"name is missing\"}");
    }

    @Test
    void channelQueriesAnswerFromTheNode() {
        memory.connect(ALICE).subscribe("presence-room");
        memory.connect(BOB).subscribe("presence-room");
        Map<String, String> query = new LinkedHashMap<>(Map.of("info", "user_count"));
        query.put("auth_timestamp", Long.toString(NOW));
        PusherHttpApi.Answer answer = api.open("GET", "/apps/3/channels/presence-room",
                signer.signedQuery("GET", "/apps/3/channels/presence-room", query, null)).complete(null);
        assertThat(answer.body()).isEqualTo("{\"occupied\":true,\"user_count\":2}");
    }

    @Test
    void pathSegmentsArePercentDecodedAndKeepSemicolons() {
        assertThat(PusherHttpApi.segments("x/a%3Bb;c")).containsExactly("x", "a;b;c");
        assertThatThrownBy(() -> PusherHttpApi.segments("bad%zz"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
