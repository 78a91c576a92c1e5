package dev.realtime.example.social;

import dev.realtime.spi.BrokerServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The packaged jar started as a process, as the README runs it; its output goes to a log file under target/. */
final class AppProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "realtime-example-social.jar");

    final int port;
    final Path log;
    private final Process process;

    private AppProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the jar with {@code args} on a free port and waits for its ready line. */
    static AppProcess start(String name, List<String> args) throws Exception {
        int port = BrokerServers.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(), "--port", String.valueOf(port)));
        command.addAll(args);
        Path log = Path.of("target", "it-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // an interrupted test run does not leave the app running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        process.getOutputStream().close();
        AppProcess app = new AppProcess(port, log, process);
        try {
            app.awaitReady();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return app;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws Exception {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line);
                    if (line.contains("ready at http://")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("the app exited before it was ready; see " + log.toAbsolutePath()));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "app-output-" + log.getFileName());
        pump.setDaemon(true);
        pump.start();
        ready.get(600, TimeUnit.SECONDS); // a benchmark start seeds 100 000 posts first
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
