package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test vectors of PROTOCOL.md §3 and §7. */
class SignerTest {
    private static final String KEY = "278d425bdf160c739803";
    private final Signer signer = new Signer("7ad3773142a6692b25b8");

    @Test
    void privateChannelVector() {
        assertThat(signer.sign("1234.1234:private-foobar"))
                .isEqualTo("58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
    }

    @Test
    void userSigninVector() {
        assertThat(signer.sign("1234.1234::user::{\"id\":\"12345\"}"))
                .isEqualTo("4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba");
    }

    @Test
    void presenceChannelVector() {
        assertThat(signer.sign("1234.1234:presence-foobar:{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}"))
                .isEqualTo("afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c");
    }

    @Test
    void httpApiVector() {
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        String md5 = Signer.md5Hex(body.getBytes(StandardCharsets.UTF_8));
        assertThat(md5).isEqualTo("ec365a775a4cd0599faeb73354201b6f");
        String toSign = "POST\n/apps/3/events\nauth_key=" + KEY + "&auth_timestamp=1353088179&auth_version=1.0&body_md5=" + md5;
        assertThat(signer.sign(toSign)).isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }

    @Test
    void verifyAuthChecksKeyAndSignature() {
        String good = KEY + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
        assertThat(signer.verifyAuth(KEY, good, "1234.1234:private-foobar")).isTrue();
        assertThat(signer.verifyAuth(KEY, "otherkey:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
                "1234.1234:private-foobar")).isFalse();
        assertThat(signer.verifyAuth(KEY, good, "1234.1235:private-foobar")).isFalse();
        assertThat(signer.verifyAuth(KEY, good.toUpperCase(), "1234.1234:private-foobar")).isFalse();
        assertThat(signer.verifyAuth(KEY, null, "1234.1234:private-foobar")).isFalse();
        assertThat(signer.verifyAuth(KEY, "no-colon", "1234.1234:private-foobar")).isFalse();
    }
}
