package dev.realtime.bench.ws;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The standalone server in its own JVM (optionally pinned to cores), with /proc and jcmd readings. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;

    public ServerProcess(Path jar, int port, String appId, String key, String secret, String cores, String heap,
                  List<String> jvmArgs) throws Exception {
        this(jar, port, appId, key, secret, cores, heap, jvmArgs, List.of(), "realtime-bench-server");
    }

    /** The JVM flags of the README's standalone command, so the benchmarks measure the server as users run it. */
    public static final List<String> README_JVM_FLAGS = List.of("-XX:MaxNewSize=32m", "-XX:+ExitOnOutOfMemoryError");

    /** {@code serverArgs} go to the server after the app's ({@code --broker …}); its output to {@code logName}.log in tmp. */
    public ServerProcess(Path jar, int port, String appId, String key, String secret, String cores, String heap,
                  List<String> jvmArgs, List<String> serverArgs, String logName) throws Exception {
        this.port = port;
        // another server on the port would answer the health check and be measured instead of this one
        try (ServerSocket free = new ServerSocket(port)) {
            // bound, so nobody else listens there: closed at once for the server to take
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken (another benchmark's server still running?): " + e.getMessage());
        }
        this.log = Path.of(System.getProperty("java.io.tmpdir"), logName + ".log");
        List<String> cmd = new ArrayList<>();
        if (cores != null && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("taskset", "-c", cores));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + heap, "-Xmx" + heap));
        cmd.addAll(README_JVM_FLAGS);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--port", String.valueOf(port), "--app-id", appId, "--app-key", key,
                "--app-secret", secret,
                // every HTTP session of the load generator comes from one address
                "--max-http-sessions-per-ip", "1000000", "--max-http-sessions", "1000000"));
        cmd.addAll(serverArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200 && process.isAlive()) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not become healthy; see " + log);
    }

    /** SIGKILL: a crash, no goodbye to the cluster. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** The pid of the server JVM (taskset execs it, so the pid is the same). */
    public long pid() {
        return process.pid();
    }

    /** User + system CPU time of the server so far, in microseconds. */
    public long cpuMicros() throws IOException {
        return ProcStat.cpuMicros(pid());
    }

    /** Resident set size in KB. */
    public long rssKb() throws IOException {
        return ProcStat.rssKb(pid());
    }

    /** Live heap after a full GC, in KB (jcmd GC.run, then GC.heap_info's "used"). */
    public long liveHeapKb() throws Exception {
        jcmd("GC.run");
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        // G1 prints one "total …K, used …K" line; Serial and Parallel print one per generation.
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("cannot read heap from: " + info);
        }
        return used;
    }

    private String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
