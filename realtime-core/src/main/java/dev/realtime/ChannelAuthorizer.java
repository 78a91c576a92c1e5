package dev.realtime;

/**
 * Decides whether a user may subscribe to a private channel. Runs on the thread that asks for the
 * authorization (the auth endpoint's request thread), never on a transport I/O thread.
 */
@FunctionalInterface
public interface ChannelAuthorizer {
    /** True to allow {@code user} into {@code channel}. An exception counts as a failure (HTTP 500). */
    boolean authorize(User user, ChannelRequest channel);
}
