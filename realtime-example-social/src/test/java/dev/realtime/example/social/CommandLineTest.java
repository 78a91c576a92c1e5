package dev.realtime.example.social;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void theIssuesFlagsBecomeTheSpringPropertiesTheySet() throws Exception {
        CommandLine.Parsed parsed = CommandLine.parse("--port", "9090", "--db-url", "jdbc:postgresql://db/social",
                "--broker", "redis://127.0.0.1:6379", "--node-id", "a");
        assertThat(parsed.help()).isFalse();
        assertThat(parsed.springArgs()).containsExactly("--server.port=9090", "--spring.datasource.url=jdbc:postgresql://db/social",
                "--realtime.broker=redis://127.0.0.1:6379", "--realtime.node-id=a");
    }

    @Test
    void flagsAlsoTakeTheirValueAfterAnEqualsSignAndSpringPropertiesPassThrough() throws Exception {
        assertThat(CommandLine.parse("--port=8081", "--seed-users", "10000", "--seed-posts=100000",
                "--realtime.websocket.enabled=false").springArgs())
                .containsExactly("--server.port=8081", "--social.seed.users=10000", "--social.seed.posts=100000",
                        "--realtime.websocket.enabled=false");
    }

    @Test
    void anUnknownFlagAMissingValueOrANonNumericPortIsAUsageError() {
        assertThatThrownBy(() -> CommandLine.parse("--colour", "blue")).hasMessageContaining("unknown option '--colour'");
        assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--port", "--broker", "x")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--port", "eighty")).hasMessageContaining("takes a number");
        assertThatThrownBy(() -> CommandLine.parse("serve")).hasMessageContaining("unexpected argument 'serve'");
    }

    @Test
    void helpAsksForTheUsage() throws Exception {
        assertThat(CommandLine.parse("--port", "1", "--help").help()).isTrue();
        assertThat(CommandLine.USAGE).contains("--port", "--db-url", "--broker", "--node-id", "--seed-users", "--seed-posts");
    }

    @Test
    void theJarExitsWith2AndTheUsageOnAnUnknownFlag() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SocialApplication.class.getName(), "--bogus", "1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", out).isEqualTo(2);
        assertThat(out).contains("unknown option '--bogus'").contains("usage: java -jar realtime-example-social.jar");
        assertThat(List.of(out.split("\n"))).noneMatch(l -> l.contains("Started SocialApplication"));
    }
}
