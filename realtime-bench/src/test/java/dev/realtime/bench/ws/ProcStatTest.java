package dev.realtime.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {
    @Test
    void utimePlusStimeInMicroseconds() {
        // fields 14 and 15 (utime 1234, stime 566 ticks of 10 ms)
        String line = "4242 (java) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1234 566 0 0 20 0 42 0 100 0 0";
        assertThat(ProcStat.cpuMicros(line)).isEqualTo((1234 + 566) * 10_000L);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = "77 (node (soketi) x) R 1 77 77 0 -1 4194560 1 0 0 0 7 3 0 0 20 0 1 0 100 0 0";
        assertThat(ProcStat.cpuMicros(line)).isEqualTo(100_000L);
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStat.cpuMicros("no parenthesis here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.cpuMicros("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jitCpuCountsOnlyTheCompilerThreads(@TempDir Path proc) throws Exception {
        thread(proc, 101, "C2 CompilerThre", 10, 5);
        thread(proc, 102, "C1 CompilerThre", 1, 1);
        thread(proc, 103, "realtime-ws-wri", 100, 100);
        Files.createDirectories(proc.resolve("104")); // a thread that ended while the directory was read
        assertThat(ProcStat.threadsCpuMicros(proc, ProcStat::jitThread)).isEqualTo((10 + 5 + 1 + 1) * 10_000L);
        assertThat(ProcStat.threadsCpuMicros(proc, name -> true)).isEqualTo((17 + 200) * 10_000L);
    }

    @Test
    void thisJvmsCompilerThreadsAreFound() throws Exception {
        long pid = ProcessHandle.current().pid();
        // CPU is counted in 10 ms ticks: give the compiler work until it has used at least one
        long deadline = System.nanoTime() + 20_000_000_000L;
        long jit;
        int work = 0;
        while ((jit = ProcStat.threadsCpuMicros(Path.of("/proc/" + pid + "/task"), ProcStat::jitThread)) == 0
                && System.nanoTime() < deadline) {
            for (int i = 0; i < 100_000; i++) {
                work += Integer.toHexString(i ^ work).hashCode();
            }
        }
        assertThat(jit).as("a JVM that ran this (work %d) has compiled something", work).isPositive();
        assertThat(ProcStat.jitCpuMicros(pid)).isLessThanOrEqualTo(ProcStat.cpuMicros(pid));
    }

    private static void thread(Path proc, int tid, String comm, long utime, long stime) throws Exception {
        Path task = Files.createDirectories(proc.resolve(String.valueOf(tid)));
        Files.writeString(task.resolve("comm"), comm + "\n");
        Files.writeString(task.resolve("stat"), tid + " (" + comm + ") S 1 1 1 0 -1 0 0 0 0 0 " + utime + " " + stime + " 0 0 20 0 1 0 1 0 0");
    }

    @Test
    void rssFromStatus() {
        assertThat(ProcStat.rssKbOf("Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n")).isEqualTo(123_456L);
        assertThat(ProcStat.rssKbOf("Name:\tkthreadd\n")).isEqualTo(-1L);
    }

    @Test
    void machineBusyLeavesIdleAndIowaitOut() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        String stat = "cpu  100 2 30 5000 70 4 5 6 0 0\ncpu0 50 1 15 2500 35 2 2 3 0 0\nintr 1 2 3\n";
        assertThat(ProcStat.machineBusyMicros(stat)).isEqualTo((100 + 2 + 30 + 4 + 5 + 6) * 10_000L);
        assertThatThrownBy(() -> ProcStat.machineBusyMicros("intr 1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisProcessHasSpentSomeCpu() throws Exception {
        assertThat(ProcStat.selfCpuMicros()).isPositive();
    }
}
