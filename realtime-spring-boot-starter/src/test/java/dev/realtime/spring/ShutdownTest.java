package dev.realtime.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.Realtime;
import dev.realtime.spring.app.TestApplication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The node closes with the application: a WebSocket client gets what was queued for it, then 4200 (reconnect). */
class ShutdownTest {

    @Test
    void closingTheApplicationSendsQueuedEventsThenTheReconnectCode() throws Exception {
        ConfigurableApplicationContext app = SpringApplication.run(TestApplication.class, "--server.port=0",
                "--server.shutdown=graceful", "--realtime.app-id=app", "--realtime.app-key=shutdown-key",
                "--realtime.app-secret=secret", "--spring.main.banner-mode=off");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        try (PusherSocket socket = PusherSocket.connect(port, "shutdown-key")) {
            socket.subscribe("news", null);
            socket.awaitEvent("news", "pusher_internal:subscription_succeeded");
            Realtime realtime = app.getBean(Realtime.class);
            for (int i = 0; i < 100; i++) {
                realtime.broadcast("news", "tick", Map.of("n", i));
            }
            app.close();
            assertThat(socket.awaitClose()).isEqualTo(4200);
            assertThat(socket.frames().stream().filter(f -> f.path("event").asText().equals("tick")).count())
                    .as("every event queued before the close").isEqualTo(100);
        } finally {
            app.close();
        }
    }
}
