package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs {@code node --test} on files of a Node suite folder (its package.json and node_modules, by
 * default the module's {@code src/test/node}) and turns node's JUnit report into one JUnit test per
 * Node test, plus one for node's exit code: the cluster IT's and the Spring Boot starter's suites.
 * Needs Node 20.11 or later; runs {@code npm ci} when the folder's node_modules is missing.
 */
public final class NodeRunner {
    /** The module's Node suite folder. */
    public static final Path NODE_DIR = Path.of("src", "test", "node");

    private final Path dir;
    private final List<String> modules;

    /** A runner for the suite in {@code dir}, whose node_modules must hold {@code modules} (else npm ci runs). */
    public NodeRunner(Path dir, List<String> modules) {
        this.dir = dir;
        this.modules = List.copyOf(modules);
    }

    /** As {@link #run(String, List, Map, long)} on the module's {@link #NODE_DIR} with pusher-js, laravel-echo and pusher. */
    public static Stream<DynamicTest> run(String label, List<String> files, Map<String, String> env, long timeoutMinutes)
            throws Exception {
        return new NodeRunner(NODE_DIR, List.of("pusher-js", "laravel-echo", "pusher")).runFiles(label, files, env, timeoutMinutes);
    }

    /**
     * Runs {@code node --test} on {@code files} (relative to the folder, run one after the
     * other) with {@code env}; node's output is copied to ours prefixed with {@code label}.
     */
    public Stream<DynamicTest> runFiles(String label, List<String> files, Map<String, String> env, long timeoutMinutes)
            throws Exception {
        requireNode();
        installNodeModulesIfMissing();
        Path report = Files.createTempFile("node-" + label, ".xml");
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1",
                "--test-reporter=spec", "--test-reporter-destination=stdout",
                "--test-reporter=junit", "--test-reporter-destination=" + report.toAbsolutePath()));
        command.addAll(files);
        List<String> output = new ArrayList<>();
        int exit = exec(label, command, env, timeoutMinutes, output);
        List<NodeResult> results = NodeResult.parse(report);
        Files.deleteIfExists(report);
        DynamicTest exitTest = DynamicTest.dynamicTest(label + ": node --test exits with 0", () -> {
            assertThat(exit).as("exit code of `node --test %s` in %s; node's report:%n%s", String.join(" ", files),
                    dir.toAbsolutePath(), tail(output)).isZero();
            assertThat(results).as("tests in node's JUnit report").isNotEmpty();
        });
        return Stream.concat(results.stream().map(r -> DynamicTest.dynamicTest(label + ": " + r.name(), () -> {
            if (r.failure() != null) {
                fail("node test '" + r.name() + "' failed: " + r.failure());
            }
            assumeTrue(r.skipped() == null, () -> "skipped in node: " + r.skipped());
        })), Stream.of(exitTest));
    }

    /** Fails with what to install when node is missing or too old: CI must run the Node suites, not skip them. */
    public static void requireNode() throws Exception {
        String version;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("`node` is not on the PATH. The pusher-js / laravel-echo suites need Node.js 20.11 or later "
                    + "and npm (e.g. `apt-get install nodejs npm`); CI installs them in .ci/run. (" + e.getMessage() + ")");
            return;
        }
        String[] parts = version.replaceFirst("^v", "").split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        if (major < 20 || (major == 20 && minor < 11)) {
            fail("Node.js " + version + " is too old for the client suites: they need 20.11 or later "
                    + "(node --test with --test-concurrency and the junit reporter)");
        }
    }

    private void installNodeModulesIfMissing() throws Exception {
        boolean installed = modules.stream()
                .allMatch(m -> Files.isRegularFile(dir.resolve("node_modules").resolve(m).resolve("package.json")));
        if (installed) {
            return;
        }
        System.out.println("[node] node_modules missing in " + dir.toAbsolutePath() + ": running npm ci");
        List<String> output = new ArrayList<>();
        int exit = exec("npm", List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 5, output);
        assertThat(exit).as("exit code of `npm ci` in %s:%n%s", dir.toAbsolutePath(), tail(output)).isZero();
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

    /** Runs a command in the Node folder, copying its output line by line to ours and into {@code output}. */
    private int exec(String label, List<String> command, Map<String, String> env, long timeoutMinutes,
                            List<String> output) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[" + label + "] " + line);
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("[" + label + "] (output lost: " + e.getMessage() + ")");
            }
        }, "node-output-" + label);
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
}
