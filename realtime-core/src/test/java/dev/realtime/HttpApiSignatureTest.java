package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiSignatureTest {
    // PROTOCOL.md §7 test vector
    static final String KEY = "278d425bdf160c739803";
    static final String SECRET = "7ad3773142a6692b25b8";
    static final String BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
    static final long TIMESTAMP = 1353088179;
    static final String BODY_MD5 = "ec365a775a4cd0599faeb73354201b6f";
    static final String SIGNATURE = "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";

    private final HttpApiSignature signature = new HttpApiSignature(new AppCredentials("3", KEY, SECRET), () -> TIMESTAMP, 600);

    static Map<String, String> vectorParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", KEY);
        params.put("auth_timestamp", Long.toString(TIMESTAMP));
        params.put("auth_version", "1.0");
        params.put("body_md5", BODY_MD5);
        params.put("auth_signature", SIGNATURE);
        return params;
    }

    @Test
    void protocolTestVectorSignsAndVerifies() {
        assertThat(HttpApiSignature.md5Hex(BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(BODY_MD5);
        assertThat(HttpApiSignature.stringToSign("POST", "/apps/3/events", vectorParams())).isEqualTo(
                "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=" + BODY_MD5);
        assertThat(signature.sign("POST", "/apps/3/events", vectorParams())).isEqualTo(SIGNATURE);
        assertThat(signature.problem("POST", "/apps/3/events", vectorParams())).isNull();
        assertThat(HttpApiSignature.bodyProblem(vectorParams(), BODY.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void keysAreLowerCasedAndSortedAndAuthSignatureLeftOut() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Zeta", "1");
        params.put("auth_signature", "x");
        params.put("alpha", "a,b");
        assertThat(HttpApiSignature.stringToSign("get", "/p", params)).isEqualTo("GET\n/p\nalpha=a,b&zeta=1");
    }

    @Test
    void refusesATamperedBody() {
        byte[] other = BODY.replace("foo", "bar").getBytes(StandardCharsets.UTF_8);
        assertThat(HttpApiSignature.bodyProblem(vectorParams(), other)).contains("body_md5 does not match");
    }

    @Test
    void theQueryIsCheckedWithoutTheBodyAndTheBodyAgainstTheSignedMd5() {
        // body_md5 is part of the signed query: tampering with it breaks the signature before any body is read
        Map<String, String> params = vectorParams();
        params.put("body_md5", "0".repeat(32));
        assertThat(signature.problem("POST", "/apps/3/events", params)).contains("auth_signature");
        Map<String, String> noMd5 = vectorParams();
        noMd5.remove("body_md5");
        assertThat(HttpApiSignature.bodyProblem(noMd5, BODY.getBytes(StandardCharsets.UTF_8))).contains("body_md5 is missing");
        assertThat(HttpApiSignature.bodyProblem(noMd5, new byte[0])).as("an empty body needs no md5").isNull();
    }

    @Test
    void refusesAnotherPathOrMethod() {
        assertThat(signature.problem("POST", "/apps/4/events", vectorParams())).contains("auth_signature");
        assertThat(signature.problem("PUT", "/apps/3/events", vectorParams())).contains("auth_signature");
    }

    @Test
    void refusesAStaleOrFutureTimestamp() {
        HttpApiSignature late = new HttpApiSignature(new AppCredentials("3", KEY, SECRET), () -> TIMESTAMP + 601, 600);
        HttpApiSignature early = new HttpApiSignature(new AppCredentials("3", KEY, SECRET), () -> TIMESTAMP - 601, 600);
        HttpApiSignature edge = new HttpApiSignature(new AppCredentials("3", KEY, SECRET), () -> TIMESTAMP + 600, 600);
        assertThat(late.problem("POST", "/apps/3/events", vectorParams())).contains("auth_timestamp");
        assertThat(early.problem("POST", "/apps/3/events", vectorParams())).contains("auth_timestamp");
        assertThat(edge.problem("POST", "/apps/3/events", vectorParams())).isNull();
    }

    @Test
    void refusesAnotherKeyAVersionOrAMissingField() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Map<String, String> params = vectorParams();
        params.put("auth_key", "other");
        assertThat(signature.problem("POST", "/apps/3/events", params)).contains("auth_key");
        params = vectorParams();
        params.put("auth_version", "2.0");
        assertThat(signature.problem("POST", "/apps/3/events", params)).contains("auth_version");
        params = vectorParams();
        params.remove("body_md5");
        assertThat(HttpApiSignature.bodyProblem(params, body)).contains("body_md5");
        params = vectorParams();
        params.remove("auth_signature");
        assertThat(signature.problem("POST", "/apps/3/events", params)).contains("auth_signature");
    }

    @Test
    void aBackendSignsRequestsTheServerAccepts() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Map<String, String> query = signature.signedQuery("POST", "/apps/3/events", Map.of("info", "user_count"), body);
        assertThat(query).containsEntry("auth_timestamp", Long.toString(TIMESTAMP)).containsEntry("body_md5", BODY_MD5)
                .containsEntry("info", "user_count").containsKey("auth_signature");
        assertThat(signature.problem("POST", "/apps/3/events", query)).isNull();
        assertThat(HttpApiSignature.bodyProblem(query, body)).isNull();
        assertThat(HttpApiSignature.bodyProblem(query, "{}".getBytes(StandardCharsets.UTF_8))).contains("body_md5 does not match");
        query.put("info", "subscription_count");
        assertThat(signature.problem("POST", "/apps/3/events", query)).contains("auth_signature does not match");
    }
}
