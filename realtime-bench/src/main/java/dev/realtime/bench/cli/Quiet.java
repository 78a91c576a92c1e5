package dev.realtime.bench.cli;

import dev.realtime.bench.ws.ProcStat;
import java.util.Locale;

/**
 * On a shared machine, waits (bounded by --quiet-wait) until other processes leave the CPUs mostly idle
 * before a step. Between steps our server and load generator are idle, so the machine's busy time over
 * a short window is the others'.
 */
final class Quiet {
    private static final double QUIET_PERCENT = 20;
    private static final long WINDOW_MS = 2000;

    private Quiet() {
    }

    /** A try-with-resources handle, so the wait sits in the same statement as the target it precedes. */
    interface Waited extends AutoCloseable {
        @Override
        void close();
    }

    static Waited before(BenchOptions o, Progress progress, String prefix) throws Exception {
        await(o, progress, prefix);
        return () -> { };
    }

    static void await(BenchOptions o, Progress progress, String prefix) throws Exception {
        long deadline = System.currentTimeMillis() + o.quietWait * 1000L;
        while (System.currentTimeMillis() < deadline) {
            long busy0 = ProcStat.machineBusyMicros();
            long self0 = ProcStat.selfCpuMicros();
            Thread.sleep(WINDOW_MS);
            long others = ProcStat.machineBusyMicros() - busy0 - (ProcStat.selfCpuMicros() - self0);
            double percent = others / (WINDOW_MS * 10.0);
            if (percent < QUIET_PERCENT) {
                return;
            }
            progress.line(prefix, String.format(Locale.ROOT, "waiting for a quiet machine: others use %.0f%% of a core", percent));
        }
    }
}
