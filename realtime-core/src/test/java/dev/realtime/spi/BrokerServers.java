package dev.realtime.spi;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the servers the broker tests need. Missing ones skip the test with a message that says
 * how to start them, except on CI ({@code CI=true}), where a missing server fails the build:
 * CI starts every server, so a skipped broker suite there would hide a broken setup.
 */
public final class BrokerServers {
    private BrokerServers() {
    }

    /** Skips (or on CI fails) unless {@code host:port} accepts a TCP connection. */
    public static void require(String name, String host, int port, String howToStart) {
        if (!reachable(host, port)) {
            missing(name + " not reachable at " + host + ":" + port + ": start it with " + howToStart);
        }
    }

    /** Skips (or on CI fails) unless {@code command} is an executable on the PATH. */
    public static void requireCommand(String command, String howToInstall) {
        if (which(command) == null) {
            missing(command + " not found on the PATH: install it with " + howToInstall);
        }
    }

    /** Whether {@code host:port} accepts a TCP connection within a second. */
    public static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A TCP port that was free a moment ago, for a private server. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Whether the tests run on CI, where missing servers fail instead of skipping. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void missing(String message) {
        if (onCi()) {
            Assertions.fail(message + " (CI=true: broker servers are required)");
        }
        Assumptions.abort(message);
    }

    private static String which(String command) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            File f = new File(dir, command);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin", "/sbin"}) {
            File f = new File(dir, command);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** The full path of {@code command}, looking in the sbin folders too (Debian puts servers there). */
    public static String executable(String command) {
        String found = which(command);
        if (found == null) {
            throw new IllegalStateException(command + " not found");
        }
        return found;
    }
}
