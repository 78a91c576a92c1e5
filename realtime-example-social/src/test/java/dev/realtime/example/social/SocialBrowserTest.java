package dev.realtime.example.social;

import dev.realtime.spi.NodeRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page in headless Chromium (src/test/node/social.test.mjs): Alice and Bob in two browsers against the
 * app on a random port, over WebSocket and over the HTTP fallback; screenshots in target/screenshots.
 */
@SpringBootTest(classes = SocialApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"social.presence-grace=1s", "logging.level.dev.realtime=WARN"})
@DirtiesContext
class SocialBrowserTest {
    static final NodeRunner NODE = new NodeRunner(Path.of("src", "test", "node"), List.of("playwright-core"));

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", Databases::h2);
    }

    @TestFactory
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    Stream<DynamicTest> aliceAndBobWatchEachOtherLiveInChromium() throws Exception {
        String url = "http://127.0.0.1:" + port;
        return NODE.runFiles("browser", List.of("social.test.mjs"), Map.of(
                "SOCIAL_URL_ALICE", url,
                "SOCIAL_URL_BOB", url,
                "SOCIAL_LABEL", "single",
                "FORCE_COLOR", "0",
                "SCREENSHOTS", Path.of("target", "screenshots").toAbsolutePath().toString()), 8);
    }
}
