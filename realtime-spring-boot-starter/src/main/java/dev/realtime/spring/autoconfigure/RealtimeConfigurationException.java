package dev.realtime.spring.autoconfigure;

/** The {@code realtime.*} configuration cannot make a node: says what is wrong and what to change. */
public class RealtimeConfigurationException extends RuntimeException {
    private final String action;

    RealtimeConfigurationException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
