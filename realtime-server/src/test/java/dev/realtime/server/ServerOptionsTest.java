package dev.realtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void flagsGiveEverySetting() {
        ServerOptions o = ServerOptions.parse(new String[] {"--port", "7001", "--host", "127.0.0.1", "--app-id", "id",
                "--app-key", "key", "--app-secret", "secret", "--no-client-events"}, NO_ENV);
        assertThat(o).isEqualTo(new ServerOptions(7001, "127.0.0.1", "id", "key", "secret", false, false));
    }

    @Test
    void defaultsArePort6001AllInterfacesAndClientEventsOn() {
        ServerOptions o = ServerOptions.parse(new String[] {"--app-id=id", "--app-key=key", "--app-secret=secret"}, NO_ENV);
        assertThat(o).isEqualTo(new ServerOptions(6001, "0.0.0.0", "id", "key", "secret", true, false));
    }

    @Test
    void environmentVariablesFillInAndFlagsWin() {
        Map<String, String> env = Map.of("REALTIME_PORT", "6100", "REALTIME_HOST", "10.0.0.1", "REALTIME_APP_ID", "env-id",
                "REALTIME_APP_KEY", "env-key", "REALTIME_APP_SECRET", "env-secret");
        assertThat(ServerOptions.parse(new String[0], env))
                .isEqualTo(new ServerOptions(6100, "10.0.0.1", "env-id", "env-key", "env-secret", true, false));
        assertThat(ServerOptions.parse(new String[] {"--port", "7000", "--app-key", "flag-key"}, env))
                .isEqualTo(new ServerOptions(7000, "10.0.0.1", "env-id", "flag-key", "env-secret", true, false));
    }

    @Test
    void clientEventsCanBeTurnedOffByEnvironmentAndTheFlagStillWins() {
        Map<String, String> env = Map.of("REALTIME_APP_ID", "id", "REALTIME_APP_KEY", "key", "REALTIME_APP_SECRET", "s",
                "REALTIME_CLIENT_EVENTS", "false");
        assertThat(ServerOptions.parse(new String[0], env).clientEvents()).isFalse();
        Map<String, String> on = Map.of("REALTIME_APP_ID", "id", "REALTIME_APP_KEY", "key", "REALTIME_APP_SECRET", "s",
                "REALTIME_CLIENT_EVENTS", "TRUE");
        assertThat(ServerOptions.parse(new String[0], on).clientEvents()).isTrue();
        assertThat(ServerOptions.parse(new String[] {"--no-client-events"}, on).clientEvents()).isFalse();
        Map<String, String> bad = Map.of("REALTIME_APP_ID", "id", "REALTIME_APP_KEY", "key", "REALTIME_APP_SECRET", "s",
                "REALTIME_CLIENT_EVENTS", "nope");
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], bad)).hasMessageContaining("true or false");
    }

    @Test
    void tlsKeyStoreNeedsAReadableFileAndItsPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path store = java.nio.file.Files.writeString(dir.resolve("s.p12"), "x");
        String[] creds = {"--app-id", "id", "--app-key", "key", "--app-secret", "s"};
        ServerOptions o = ServerOptions.parse(concat(creds, "--tls-keystore", store.toString(), "--tls-password", "pw"), NO_ENV);
        assertThat(o.tlsKeyStore()).isEqualTo(store);
        assertThat(o.tlsPassword()).isEqualTo("pw");
        assertThat(o.toString()).doesNotContain("pw]").contains("tlsPassword=***");
        ServerOptions fromEnv = ServerOptions.parse(creds, Map.of("REALTIME_TLS_KEYSTORE", store.toString(),
                "REALTIME_TLS_PASSWORD", "envpw"));
        assertThat(fromEnv.tlsPassword()).isEqualTo("envpw");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--tls-keystore", store.toString()), NO_ENV))
                .hasMessageContaining("--tls-password");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--tls-keystore", dir.resolve("nope.p12").toString(),
                "--tls-password", "pw"), NO_ENV)).hasMessageContaining("nope.p12").hasMessageContaining("not a readable file");
        assertThat(ServerOptions.parse(creds, NO_ENV).tlsKeyStore()).as("plain by default").isNull();
    }

    @Test
    void missingCredentialsNameTheFlagAndTheVariable() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--app-id", "id"}, NO_ENV))
                .isInstanceOf(ServerOptions.UsageException.class)
                .hasMessage("missing app key: pass --app-key or set REALTIME_APP_KEY\n"
                        + "missing app secret: pass --app-secret or set REALTIME_APP_SECRET");
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], NO_ENV))
                .hasMessageContaining("missing app id: pass --app-id or set REALTIME_APP_ID");
    }

    @Test
    void brokerAndNodeIdComeFromFlagsOrTheEnvironment() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        ServerOptions flags = ServerOptions.parse(concat(creds, "--broker", "redis://:pw@10.0.0.1:6379", "--node-id=web-1"), NO_ENV);
        assertThat(flags.broker()).isEqualTo("redis://:pw@10.0.0.1:6379");
        assertThat(flags.nodeId()).isEqualTo("web-1");
        assertThat(flags.toString()).doesNotContain("pw").contains("redis://***@10.0.0.1:6379");
        ServerOptions env = ServerOptions.parse(creds, Map.of("REALTIME_BROKER", "nats://127.0.0.1:4222", "REALTIME_NODE_ID", "b"));
        assertThat(env.broker()).isEqualTo("nats://127.0.0.1:4222");
        assertThat(env.nodeId()).isEqualTo("b");
        ServerOptions single = ServerOptions.parse(creds, NO_ENV);
        assertThat(single.broker()).isNull();
        assertThat(single.nodeId()).isNull();
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--node-id", "a b"), NO_ENV))
                .isInstanceOf(ServerOptions.UsageException.class).hasMessageContaining("--node-id / REALTIME_NODE_ID");
    }

    @Test
    void aBrokerUriNoModuleServesIsRefusedAtStartSayingSo() {
        ServerOptions options = ServerOptions.parse(new String[] {"--app-id", "i", "--app-key", "k", "--app-secret", "s",
                "--port", "0", "--broker", "kafka://127.0.0.1:9092"}, NO_ENV);
        assertThatThrownBy(() -> Main.start(options)).hasMessageContaining("no broker for 'kafka://' URIs")
                .hasMessageContaining("available: amqp, amqps, nats, redis, rediss, tls");
    }

    @Test
    void badValuesAreRefused() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--port", "http"), NO_ENV))
                .hasMessage("--port must be a port number 0-65535, got 'http'");
        assertThatThrownBy(() -> ServerOptions.parse(creds, Map.of("REALTIME_PORT", "99999")))
                .hasMessage("REALTIME_PORT must be a port number 0-65535, got '99999'");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--port"), NO_ENV)).hasMessage("--port needs a value");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--verbose"), NO_ENV)).hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--app-id", "i", "--app-key", "a:b", "--app-secret", "s"}, NO_ENV))
                .hasMessageContaining("must not contain ':'");
    }

    @Test
    void backlogAndPerAddressCapComeFromFlagsOrTheEnvironmentWithDefaults() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        ServerOptions defaults = ServerOptions.parse(creds, NO_ENV);
        assertThat(defaults.backlog()).isEqualTo(1024);
        assertThat(defaults.maxInFlightPerIp()).isEqualTo(64);
        ServerOptions flags = ServerOptions.parse(concat(creds, "--backlog", "4096", "--max-in-flight-per-ip=500"), NO_ENV);
        assertThat(flags.backlog()).isEqualTo(4096);
        assertThat(flags.maxInFlightPerIp()).isEqualTo(500);
        Map<String, String> env = Map.of("REALTIME_BACKLOG", "2048", "REALTIME_MAX_IN_FLIGHT_PER_IP", "128");
        assertThat(ServerOptions.parse(creds, env).backlog()).isEqualTo(2048);
        assertThat(ServerOptions.parse(creds, env).maxInFlightPerIp()).isEqualTo(128);
        assertThat(ServerOptions.parse(concat(creds, "--backlog", "100"), env).backlog()).as("the flag wins").isEqualTo(100);
        assertThat(ServerOptions.parse(creds, env).toString()).contains("backlog=2048").contains("maxInFlightPerIp=128");
    }

    @Test
    void theWarmupComesFromAFlagOrTheEnvironmentAndZeroTurnsItOff() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        assertThat(ServerOptions.parse(creds, NO_ENV).warmupConnections()).isZero();
        assertThat(ServerOptions.parse(concat(creds, "--warmup", "3000"), NO_ENV).warmupConnections()).isEqualTo(3000);
        assertThat(ServerOptions.parse(concat(creds, "--warmup", "0"), NO_ENV).warmupConnections()).isZero();
        assertThat(ServerOptions.parse(creds, Map.of("REALTIME_WARMUP", "500")).warmupConnections()).isEqualTo(500);
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--warmup=-1"), NO_ENV))
                .hasMessage("--warmup must be a whole number 0-100000, got '-1'");
    }

    @Test
    void theThreadPoolSizeComesFromAFlagOrTheEnvironmentWithEightPerCoreByDefault() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        assertThat(ServerOptions.parse(creds, NO_ENV).maxThreads())
                .isEqualTo(RealtimeServer.DEFAULT_MAX_THREADS)
                .isEqualTo(Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
        assertThat(ServerOptions.parse(concat(creds, "--max-threads", "300"), NO_ENV).maxThreads()).isEqualTo(300);
        assertThat(ServerOptions.parse(creds, Map.of("REALTIME_MAX_THREADS", "40")).maxThreads()).isEqualTo(40);
        assertThat(ServerOptions.parse(concat(creds, "--max-threads=64"), Map.of("REALTIME_MAX_THREADS", "40")).maxThreads())
                .as("the flag wins").isEqualTo(64);
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--max-threads", "4"), NO_ENV))
                .hasMessage("--max-threads must be a whole number 8-10000, got '4'");
    }

    @Test
    void clusterTimingsComeFromFlagsOrTheEnvironmentAndDefaultToTheNodes() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        ServerOptions defaults = ServerOptions.parse(creds, NO_ENV);
        assertThat(defaults.heartbeatInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(defaults.nodeTimeout()).isEqualTo(java.time.Duration.ofSeconds(6));
        ServerOptions flags = ServerOptions.parse(concat(creds, "--heartbeat-interval-ms", "500", "--node-timeout-ms=2000"), NO_ENV);
        assertThat(flags.heartbeatInterval()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(flags.nodeTimeout()).isEqualTo(java.time.Duration.ofMillis(2000));
        ServerOptions env = ServerOptions.parse(concat(creds, "--node-timeout-ms", "3000"),
                Map.of("REALTIME_HEARTBEAT_INTERVAL_MS", "1000", "REALTIME_NODE_TIMEOUT_MS", "9000"));
        assertThat(env.heartbeatInterval()).isEqualTo(java.time.Duration.ofMillis(1000));
        assertThat(env.nodeTimeout()).as("the flag wins").isEqualTo(java.time.Duration.ofMillis(3000));
    }

    @Test
    void clusterTimingsOutOfRangeOrTooCloseAreRefusedSayingWhatToChange() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--heartbeat-interval-ms", "50"), NO_ENV))
                .hasMessage("--heartbeat-interval-ms must be a whole number 100-3600000, got '50'");
        assertThatThrownBy(() -> ServerOptions.parse(creds, Map.of("REALTIME_NODE_TIMEOUT_MS", "soon")))
                .hasMessage("REALTIME_NODE_TIMEOUT_MS must be a whole number 200-86400000, got 'soon'");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--heartbeat-interval-ms", "4000"), NO_ENV))
                .isInstanceOf(ServerOptions.UsageException.class)
                .hasMessageContaining("node timeout (6000 ms) must be at least twice the heartbeat interval (4000 ms)")
                .hasMessageContaining("--node-timeout-ms");
    }

    @Test
    void badBacklogOrPerAddressCapIsRefusedWithTheFlagOrVariable() {
        String[] creds = {"--app-id", "i", "--app-key", "k", "--app-secret", "s"};
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--backlog", "0"), NO_ENV))
                .hasMessage("--backlog must be a whole number 1-65535, got '0'");
        assertThatThrownBy(() -> ServerOptions.parse(creds, Map.of("REALTIME_BACKLOG", "lots")))
                .hasMessage("REALTIME_BACKLOG must be a whole number 1-65535, got 'lots'");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--max-in-flight-per-ip", "-1"), NO_ENV))
                .hasMessage("--max-in-flight-per-ip must be a whole number of at least 1, got '-1'");
        assertThatThrownBy(() -> ServerOptions.parse(concat(creds, "--backlog"), NO_ENV)).hasMessage("--backlog needs a value");
    }

    @Test
    void helpNeedsNothingElse() {
        assertThat(ServerOptions.parse(new String[] {"--help"}, NO_ENV).help()).isTrue();
        assertThat(ServerOptions.usage()).contains("--app-id", "REALTIME_APP_SECRET", "--no-client-events", "--broker", "401",
                "--backlog N", "REALTIME_BACKLOG", "somaxconn", "--max-in-flight-per-ip N", "REALTIME_MAX_IN_FLIGHT_PER_IP",
                "--heartbeat-interval-ms N", "REALTIME_HEARTBEAT_INTERVAL_MS", "--node-timeout-ms N", "REALTIME_NODE_TIMEOUT_MS")
                .startsWith("Usage: java -XX:+ExitOnOutOfMemoryError -jar realtime-server.jar");
    }

    @Test
    void theSecretIsNotPrinted() {
        assertThat(new ServerOptions(1, "h", "i", "k", "s3cr3t", true, false).toString()).doesNotContain("s3cr3t");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
