package dev.realtime;

/**
 * A connection as reported to a {@link RealtimeListener}.
 *
 * @param socketId      the Pusher socket id
 * @param userId        the signed-in user's id, or null
 * @param remoteAddress the peer's address as the transport reports it, or null
 */
public record ConnectionInfo(String socketId, String userId, String remoteAddress) {
}
