package dev.realtime.internal;

import dev.realtime.ChannelType;

/** Channel and event name rules (PROTOCOL.md §2). */
public final class ChannelNames {
    private ChannelNames() {
    }

    /** Why {@code name} is not a valid channel name, or null when it is. */
    public static String problem(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            return "channel name is missing";
        }
        if (name.length() > maxLength) {
            return "channel name is longer than " + maxLength + " characters";
        }
        int start = name.startsWith(ChannelType.SERVER_TO_USER_PREFIX) ? ChannelType.SERVER_TO_USER_PREFIX.length() : 0;
        if (start == name.length()) {
            return "channel name '" + name + "' has no user id";
        }
        for (int i = start; i < name.length(); i++) {
            if (!allowed(name.charAt(i))) {
                return "channel name contains '" + name.charAt(i) + "'; allowed: a-z A-Z 0-9 and - _ = @ , . ;";
            }
        }
        return null;
    }

    /** Why {@code event} is not a valid event name, or null when it is. */
    public static String eventProblem(String event, int maxLength) {
        if (event == null || event.isEmpty()) {
            return "event name is missing";
        }
        if (event.length() > maxLength) {
            return "event name is longer than " + maxLength + " characters";
        }
        return null;
    }

    static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';';
    }
}
