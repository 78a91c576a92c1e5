package dev.realtime.bench.cli;

import java.io.PrintStream;

/** The live progress line on stderr, rewritten in place; {@link #done} ends it so the next output starts clean. */
final class Progress {
    private final PrintStream err = System.err;
    private int width;

    synchronized void line(String prefix, String text) {
        String s = "[" + prefix + "] " + text;
        err.print("\r" + s + " ".repeat(Math.max(0, width - s.length())));
        err.flush();
        width = s.length();
    }

    synchronized void done(String prefix, String text) {
        line(prefix, text);
        err.println();
        width = 0;
    }
}
