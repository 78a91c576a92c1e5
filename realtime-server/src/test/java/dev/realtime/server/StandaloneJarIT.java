package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.Pusher;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The built {@code realtime-server.jar}, started with the README's command, serves clients and publishers. */
class StandaloneJarIT {
    private static final Path JAR = Path.of("target", "realtime-server.jar");
    private static final Path LOG = Path.of("target", "it-logs", "standalone-jar.log");
    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void jarStartsWithTheDocumentedCommandAndServesWebSocketAndHttpApi() throws Exception {
        assertThat(JAR).as("run after package").exists();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long from = JarLog.size(LOG);
        process = JarLog.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(), "--port", String.valueOf(port),
                "--app-id", "it", "--app-key", "it-key", "--app-secret", "it-secret"), LOG);
        String ready = JarLog.awaitReady(process, LOG, from, Duration.ofSeconds(60), "the jar");
        assertThat(ready).contains("http://localhost:" + port);

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/it-key?protocol=7&client=js&version=8.6.0"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    frames.add(text.toString());
                                    text.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        assertThat(next(frames)).contains("pusher:connection_established").containsPattern("socket_id\\\\\":\\\\\"\\d+\\.\\d+");
        ws.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}", true).get(5, TimeUnit.SECONDS);
        assertThat(next(frames)).contains("pusher_internal:subscription_succeeded");

        try (Pusher pusher = new Pusher("it", "it-key", "it-secret")) {
            pusher.setHost("127.0.0.1:" + port);
            assertThat(pusher.trigger("news", "headline", Map.of("title", "from the SDK")).getHttpStatus()).isEqualTo(200);
        }
        assertThat(next(frames)).contains("\"event\":\"headline\"").contains("from the SDK");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    @Test
    void jarRefusesToStartWithoutCredentialsAndSaysWhy() throws Exception {
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--port", "0")).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("--app-id").contains("REALTIME_APP_ID");
    }

    private static String next(LinkedBlockingQueue<String> frames) throws InterruptedException {
        String f = frames.poll(10, TimeUnit.SECONDS);
        assertThat(f).as("a frame within 10 s").isNotNull();
        return f;
    }
}
