package dev.realtime.spring;

import dev.realtime.spi.NodeRunner;
import dev.realtime.spring.app.TestApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real pusher-js, laravel-echo and pusher SDK (src/test/node) against {@link TestApplication} on
 * embedded Tomcat with nothing but the starter and five properties, once per pusher-js transport:
 * WebSocket, xhr_streaming, xhr_polling.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.app-id=starter-app",
        "realtime.app-key=starter-key",
        "realtime.app-secret=starter-secret",
        "realtime.http-api.enabled=true",
        "realtime.activity-timeout=10s"})
class StarterClientSuiteTest {
    private static final NodeRunner NODE = new NodeRunner(Path.of("src", "test", "node"),
            List.of("pusher-js", "laravel-echo", "pusher"));

    @LocalServerPort
    int port;

    @TestFactory
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    Stream<DynamicNode> pusherJsAndEchoOverEveryTransport() throws Exception {
        List<DynamicNode> runs = new ArrayList<>();
        for (String transport : List.of("ws", "xhr_streaming", "xhr_polling")) {
            Map<String, String> env = Map.of(
                    "REALTIME_PORT", String.valueOf(port),
                    "REALTIME_APP_ID", "starter-app",
                    "REALTIME_APP_KEY", "starter-key",
                    "REALTIME_APP_SECRET", "starter-secret",
                    "REALTIME_TRANSPORT", transport);
            runs.add(DynamicContainer.dynamicContainer("over " + transport,
                    NODE.runFiles("starter-" + transport, List.of("starter.test.mjs"), env, 5).toList()));
        }
        return runs.stream();
    }
}
