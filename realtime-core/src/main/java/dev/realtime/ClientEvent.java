package dev.realtime;

/**
 * A {@code client-} event a connection sent on a private or presence channel.
 *
 * @param channel  the channel it was sent on
 * @param event    the event name, starting with {@code client-}
 * @param data     the payload as the client sent it (JSON text)
 * @param socketId the sender's socket id
 * @param userId   the sender's presence user id, or null on private channels
 */
public record ClientEvent(String channel, String event, String data, String socketId, String userId) {
}
