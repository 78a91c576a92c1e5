package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ProcStat;
import dev.realtime.bench.ws.PublishStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs floor/floor.c (built by install.sh) for one step: the same frames, one write() each, to N loopback TCP sockets. */
final class FloorRunner {
    private FloorRunner() {
    }

    static PublishStep.Result step(BenchOptions o, int connections, int eventsPerSecond, int seconds) throws Exception {
        Path bin = o.peers.resolve(".work/floor");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run realtime-bench/peers/install.sh first");
        }
        List<String> cmd = new ArrayList<>();
        if (o.cores() != null) {
            cmd.addAll(List.of("taskset", "-c", o.cores()));
        }
        cmd.addAll(List.of(bin.toString(), "--connections", String.valueOf(connections), "--rate", String.valueOf(eventsPerSecond),
                "--seconds", String.valueOf(seconds), "--reader-cpu", String.valueOf(o.loadCore()), "--tcp"));
        long machine0 = ProcStat.machineBusyMicros();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("floor did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("floor failed: " + out);
        }
        PublishStep.Result r = parse(out, eventsPerSecond);
        long other = ProcStat.machineBusyMicros() - machine0 - r.serverCpuMicros() - Math.max(0, r.loadCpuMicros());
        return new PublishStep.Result(r.eventsPerSecond(), r.published(), r.expected(), r.delivered(), r.seconds(), r.p50Ms(),
                r.p99Ms(), r.serverCpuMicros(), r.loadCpuMicros(), Math.max(0, other));
    }

    /**
     * Reads the floor's {@code key=value} line; its reader is the load side. Its p50/p99 (from when the writer
     * began an event's sweep to when the reader had each frame, every frame timed) are left out when the line
     * has none (a floor built before it timed frames) or timed no frame.
     */
    static PublishStep.Result parse(String line, int eventsPerSecond) {
        Map<String, String> kv = new HashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        for (String key : List.of("events", "written", "delivered", "seconds", "writer_cpu_us")) {
            if (!kv.containsKey(key)) {
                throw new IllegalArgumentException("no " + key + " in the floor's output: " + line);
            }
        }
        return new PublishStep.Result(eventsPerSecond, Long.parseLong(kv.get("events")), Long.parseLong(kv.get("written")),
                Long.parseLong(kv.get("delivered")), Double.parseDouble(kv.get("seconds")), millis(kv, "p50_us"), millis(kv, "p99_us"),
                Long.parseLong(kv.get("writer_cpu_us")), Long.parseLong(kv.getOrDefault("reader_cpu_us", "-1")), -1);
    }

    private static double millis(Map<String, String> kv, String micros) {
        long us = Long.parseLong(kv.getOrDefault(micros, "-1"));
        return us < 0 || Long.parseLong(kv.getOrDefault("latency_samples", "0")) == 0 ? Double.NaN : us / 1000.0;
    }
}
