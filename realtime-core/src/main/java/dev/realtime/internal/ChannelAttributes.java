package dev.realtime.internal;

import java.util.Locale;

/**
 * The {@code info} attributes an HTTP API caller asks for: {@code user_count} (presence channels)
 * and {@code subscription_count}; unknown attributes are ignored, as Pusher does.
 */
public record ChannelAttributes(boolean userCount, boolean subscriptionCount) {
    public static final ChannelAttributes NONE = new ChannelAttributes(false, false);

    /** Parses a comma-separated {@code info} value; null for none. */
    public static ChannelAttributes parse(String info) {
        if (info == null || info.isBlank()) {
            return NONE;
        }
        boolean users = false;
        boolean subscriptions = false;
        for (String attribute : info.split(",")) {
            switch (attribute.trim().toLowerCase(Locale.ROOT)) {
                case "user_count" -> users = true;
                case "subscription_count" -> subscriptions = true;
                default -> { }
            }
        }
        return new ChannelAttributes(users, subscriptions);
    }
}
