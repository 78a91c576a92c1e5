package dev.realtime;

/**
 * Decides whether a user may join a presence channel and what the other members see of them.
 * Runs on the thread that asks for the authorization, never on a transport I/O thread.
 */
@FunctionalInterface
public interface PresenceAuthorizer {
    /** The member to add for {@code user}, or null to deny. */
    Member authorize(User user, ChannelRequest channel);
}
