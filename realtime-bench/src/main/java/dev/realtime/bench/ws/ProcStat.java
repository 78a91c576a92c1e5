package dev.realtime.bench.ws;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;

/** CPU time and resident memory of a process, read from Linux's /proc. */
public final class ProcStat {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on every Linux we run on). */
    static final long CLOCK_TICKS = 100;

    private ProcStat() {
    }

    /**
     * User + system CPU of one /proc/<pid>/stat line, in microseconds. The command name (field 2) may
     * hold spaces and parentheses, so fields are counted from the last ')'; utime and stime are fields 14 and 15.
     */
    public static long cpuMicros(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        String[] f = statLine.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            throw new IllegalArgumentException("too few fields in: " + statLine);
        }
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1_000_000 / CLOCK_TICKS;
    }

    /** User + system CPU of process {@code pid} so far, in microseconds. */
    public static long cpuMicros(long pid) throws IOException {
        return cpuMicros(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** User + system CPU of this JVM so far, in microseconds. */
    public static long selfCpuMicros() throws IOException {
        return cpuMicros(Files.readString(Path.of("/proc/self/stat")));
    }

    /** Resident set size of process {@code pid} in KB, from the VmRSS line of /proc/<pid>/status. */
    public static long rssKb(long pid) throws IOException {
        return rssKbOf(Files.readString(Path.of("/proc/" + pid + "/status")));
    }

    /** The VmRSS figure of a /proc/<pid>/status text in KB, or -1 if absent (a kernel thread, a zombie). */
    static long rssKbOf(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * Busy CPU time of the whole machine so far in µs, from the first line of /proc/stat (all cores: user,
     * nice, system, irq, softirq, steal; not idle or iowait). Less the server's and the load generator's own
     * CPU it is what other processes used: on a shared machine, the noise in a step.
     */
    public static long machineBusyMicros(String procStat) {
        String first = procStat.lines().findFirst().orElse("");
        if (!first.startsWith("cpu ")) {
            throw new IllegalArgumentException("not /proc/stat: " + first);
        }
        String[] f = first.substring(4).trim().split("\\s+");
        long busy = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) {
            if (i != 3 && i != 4) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy * 1_000_000 / CLOCK_TICKS;
    }

    public static long machineBusyMicros() throws IOException {
        return machineBusyMicros(Files.readString(Path.of("/proc/stat")));
    }

    /**
     * User + system CPU so far in µs of the JIT compiler threads of JVM {@code pid} (HotSpot's "C1
     * CompilerThreadN" and "C2 CompilerThreadN", cut to 15 characters by Linux). A compiler thread the
     * JVM retired meanwhile takes its CPU with it, so a difference of two readings is at least what
     * compiling cost in between.
     */
    public static long jitCpuMicros(long pid) throws IOException {
        return threadsCpuMicros(Path.of("/proc/" + pid + "/task"), ProcStat::jitThread);
    }

    static boolean jitThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** The CPU in µs of the threads under {@code taskDir} (/proc/<pid>/task) whose name {@code names} accepts. */
    static long threadsCpuMicros(Path taskDir, Predicate<String> names) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
            for (Path task : tasks) {
                try {
                    if (names.test(Files.readString(task.resolve("comm")).strip())) {
                        sum += cpuMicros(Files.readString(task.resolve("stat")));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended while we read
                }
            }
        }
        return sum;
    }

    /** The CPUs this process may run on, as Linux lists them ("0-1", "1"), or "" where unknown. */
    public static String allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: nothing to say
        }
        return "";
    }
}
