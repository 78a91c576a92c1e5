package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.Realtime;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code RealtimeServer.tls(keyStore, password)}: https and wss with a certificate the client trusts, nothing in clear. */
class TlsTest {
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    private static Path keyStore;
    private Realtime realtime;
    private RealtimeServer server;

    /** A self-signed certificate for localhost / 127.0.0.1, made with the JDK's keytool. */
    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (realtime != null) {
            realtime.close();
        }
    }

    private static HttpClient trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    @Test
    void httpsAndWssServeWithTheGivenCertificate() throws Exception {
        realtime = Realtime.builder().app("id", "key", "secret").build();
        server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).tls(keyStore, PASSWORD).websocket().start();
        assertThat(server.url()).startsWith("https://");
        HttpClient client = trustingClient();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(
                URI.create("wss://localhost:" + server.port() + "/app/key?protocol=7"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(first.get(10, TimeUnit.SECONDS)).contains("pusher:connection_established");
        ws.abort();
    }

    @Test
    void plainHttpIsNotServedOnATlsPort() throws Exception {
        realtime = Realtime.builder().app("id", "key", "secret").build();
        server = RealtimeServer.on(realtime).host("127.0.0.1").port(0).tls(keyStore, PASSWORD).start();
        CompletableFuture<HttpResponse<String>> plain = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = plain.handle((resp, err) -> resp).get(10, TimeUnit.SECONDS);
        assertThat(r == null || r.statusCode() != 200).as("no 200 over plain HTTP").isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .as("an untrusted certificate is refused by a default client").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void anUnreadableKeyStoreIsRefusedWithItsPath() {
        realtime = Realtime.builder().app("id", "key", "secret").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RealtimeServer.on(realtime).tls(dir.resolve("missing.p12"), "x"))
                .hasMessageContaining("missing.p12").hasMessageContaining("not a readable file");
    }
}
