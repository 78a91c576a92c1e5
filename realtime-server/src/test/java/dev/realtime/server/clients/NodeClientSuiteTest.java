package dev.realtime.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.realtime.spi.NodeResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the Node suite in {@code src/test/node} — the real pusher-js 8, laravel-echo 2 and the
 * {@code pusher} server SDK from npm — against a server started here, once per pusher-js transport
 * (WebSocket, then the HTTP fallbacks {@code xhr_streaming} and {@code xhr_polling}: helpers.mjs reads
 * {@code REALTIME_TRANSPORT}); each Node test becomes one JUnit test, and node's exit code must be 0. Node's output goes to this test's output. The Node
 * tests reach back through a small control endpoint to restart the server on the same port and to
 * call {@code Realtime.sendToUser}.
 *
 * <p>Needs {@code node} (20.11 or later) and {@code npm} on the PATH; runs {@code npm ci} when
 * {@code node_modules} is missing. {@code browser.test.mjs} drives headless Chromium through
 * playwright-core ({@code CHROMIUM_PATH}, default {@code /usr/bin/chromium}): without it those
 * tests fail when {@code CI} is set and are skipped otherwise.
 */
class NodeClientSuiteTest {
    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final long SUITE_TIMEOUT_MINUTES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The transports the suite runs over, in order: pusher-js restricted to each one in turn
     * ({@code enabledTransports}); {@code -Drealtime.node.transports=xhr_polling} runs one of them.
     */
    private static final List<String> TRANSPORTS = List.of(
            System.getProperty("realtime.node.transports", "ws,xhr_streaming,xhr_polling").split(","));

    /**
     * One JUnit test per Node test and transport (from node's JUnit report, so each shows up by name in
     * the Surefire report and in failures), plus one per transport for node's exit code, which also
     * catches what no single test owns (a file that does not load, an unhandled rejection). The browser
     * files run once, over WebSocket: they choose their own transports.
     */
    @TestFactory
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    Stream<DynamicNode> pusherJsLaravelEchoAndThePusherSdk() throws Exception {
        requireNode();
        installNodeModulesIfMissing();
        List<DynamicNode> runs = new ArrayList<>();
        try (ClientTestServer server = ClientTestServer.start()) {
            for (String transport : TRANSPORTS) {
                runs.add(DynamicContainer.dynamicContainer("over " + transport, runSuite(server, transport.trim())));
            }
        }
        return runs.stream();
    }

    private static Stream<DynamicTest> runSuite(ClientTestServer server, String transport) throws Exception {
        Path report = Files.createTempFile("node-client-suite", ".xml");
        int exit;
        List<String> output;
        HttpServer control = startControl(server);
        try {
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1",
                    "--test-reporter=spec", "--test-reporter-destination=stdout",
                    "--test-reporter=junit", "--test-reporter-destination=" + report.toAbsolutePath()));
            command.addAll(testFiles(!transport.equals("ws")));
            Map<String, String> env = Map.of(
                    "REALTIME_PORT", String.valueOf(server.port()),
                    "REALTIME_APP_ID", ClientTestServer.APP_ID,
                    "REALTIME_APP_KEY", ClientTestServer.APP_KEY,
                    "REALTIME_APP_SECRET", ClientTestServer.APP_SECRET,
                    "REALTIME_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort(),
                    "REALTIME_ACTIVITY_TIMEOUT", String.valueOf(ClientTestServer.ACTIVITY_TIMEOUT.toSeconds()),
                    "REALTIME_TRANSPORT", transport);
            output = new ArrayList<>();
            System.out.println("[node] the suite over " + transport);
            exit = run(command, env, SUITE_TIMEOUT_MINUTES, output);
        } finally {
            control.stop(0);
        }
        List<NodeResult> results = NodeResult.parse(report);
        Files.deleteIfExists(report);
        int exitCode = exit;
        DynamicTest exitTest = DynamicTest.dynamicTest("node --test exits with 0 (" + transport + ")", () -> {
            assertThat(exitCode).as("exit code of `node --test` over %s in %s; node's report:%n%s",
                    transport, NODE_DIR.toAbsolutePath(), tail(output)).isZero();
            assertThat(results).as("tests in node's JUnit report").isNotEmpty();
        });
        return Stream.concat(results.stream().map(r -> DynamicTest.dynamicTest(r.name() + " (" + transport + ")", () -> {
            if (r.failure() != null) {
                fail("node test '" + r.name() + "' failed over " + transport + ": " + r.failure());
            }
            assumeTrue(r.skipped() == null, () -> "skipped in node: " + r.skipped());
        })), Stream.of(exitTest));
    }

    /** What to show of node's output when it failed: its closing "failing tests" section, else its end. */
    private static String tail(List<String> output) {
        int start = Math.max(0, output.size() - 80);
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i).contains("failing tests:")) {
                start = i;
                break;
            }
        }
        return String.join(System.lineSeparator(), output.subList(start, Math.min(output.size(), start + 300)));
    }

    private static List<String> testFiles(boolean withoutBrowser) throws IOException {
        try (Stream<Path> files = Files.list(NODE_DIR)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".test.mjs"))
                    .filter(n -> !(withoutBrowser && n.startsWith("browser")))
                    .sorted().toList();
            assertThat(names).as("Node test files in %s", NODE_DIR.toAbsolutePath()).isNotEmpty();
            return names;
        }
    }

    /** Fails with what to install when node is missing or too old: CI must run this suite, not skip it. */
    private static void requireNode() throws Exception {
        String version;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("`node` is not on the PATH. The pusher-js / laravel-echo suite needs Node.js 20.11 or later "
                    + "and npm (e.g. `apt-get install nodejs npm`); CI installs them in .ci/run. (" + e.getMessage() + ")");
            return;
        }
        String[] parts = version.replaceFirst("^v", "").split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        if (major < 20 || (major == 20 && minor < 11)) {
            fail("Node.js " + version + " is too old for the client suite: it needs 20.11 or later "
                    + "(node --test with --test-concurrency and the junit reporter)");
        }
    }

    private static void installNodeModulesIfMissing() throws Exception {
        boolean installed = Stream.of("pusher-js", "laravel-echo", "pusher", "playwright-core")
                .allMatch(m -> Files.isRegularFile(NODE_DIR.resolve("node_modules").resolve(m).resolve("package.json")));
        if (installed) {
            return;
        }
        System.out.println("[node] node_modules missing in " + NODE_DIR.toAbsolutePath() + ": running npm ci");
        List<String> output = new ArrayList<>();
        int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 5, output);
        assertThat(exit).as("exit code of `npm ci` in %s:%n%s", NODE_DIR.toAbsolutePath(), tail(output)).isZero();
    }

    /**
     * Runs a command in the Node directory, copying its output line by line to ours (Surefire keeps
     * it in target/surefire-reports/…-output.txt) and into {@code output}; returns its exit code.
     */
    private static int run(List<String> command, Map<String, String> env, long timeoutMinutes, List<String> output)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[node] " + line);
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("[node] (output lost: " + e.getMessage() + ")");
            }
        }, "node-output");
        pump.start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            pump.join(5_000);
            fail("`" + String.join(" ", command) + "` did not finish within " + timeoutMinutes + " minutes");
        }
        pump.join(10_000);
        synchronized (output) {
            return process.exitValue();
        }
    }

    /**
     * The control endpoint the Node tests call: {@code POST /restart} (new node and server on the
     * same port) and {@code POST /send-to-user} with {@code {"userId","event","data"}}.
     */
    private static HttpServer startControl(ClientTestServer server) throws IOException {
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/restart", exchange -> answer(exchange, () -> {
            server.restart();
            return "restarted on port " + server.port();
        }));
        control.createContext("/send-to-user", exchange -> answer(exchange, () -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Object data = JSON.convertValue(body.get("data"), Object.class);
            server.realtime().sendToUser(body.get("userId").asText(), body.get("event").asText(), data);
            return "sent";
        }));
        control.start();
        return control;
    }

    private interface Action {
        String run() throws Exception;
    }

    private static void answer(HttpExchange exchange, Action action) throws IOException {
        int status;
        String body;
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
                body = "POST only";
            } else {
                status = 200;
                body = action.run();
            }
        } catch (Exception e) {
            status = 500;
            body = e.toString();
            e.printStackTrace();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
