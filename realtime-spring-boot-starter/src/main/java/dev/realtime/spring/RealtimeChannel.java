package dev.realtime.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Authorizes the channels matching a pattern, as Laravel's {@code Broadcast::channel} does. On a method
 * of any bean, the method is the authorizer: its parameters are the {@link dev.realtime.User} asking,
 * parameters named like the pattern's {@code {placeholders}} (converted to their type: {@code String},
 * {@code long}, {@code UUID}, …), and optionally the {@link dev.realtime.ChannelRequest}. It returns
 * {@code boolean} for a {@code private-} pattern; for a {@code presence-} pattern the
 * {@link dev.realtime.Member}, a {@code Map} of the user's info, or {@code boolean} (true: the user's own
 * id and info), null or false to deny.
 *
 * <pre>{@code
 * @RealtimeChannel("private-user.{userId}")
 * boolean ownTimeline(User user, long userId) { return user.id().equals(Long.toString(userId)); }
 *
 * @RealtimeChannel("presence-room.{roomId}")
 * Member room(User user, String roomId) { return rooms.isMember(roomId, user.id()) ? Member.of(user.id(), user.info()) : null; }
 * }</pre>
 *
 * On a bean that is a {@link dev.realtime.ChannelAuthorizer} or {@link dev.realtime.PresenceAuthorizer}
 * (its class or its {@code @Bean} method), it gives that authorizer its pattern. A method whose
 * signature does not fit fails the application's startup with a message naming it. Authorizers run on
 * the auth endpoint's request thread.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RealtimeChannel {
    /**
     * The channel pattern: {@code {name}} matches one dot-free segment, {@code *} anything; the most
     * specific matching pattern decides.
     */
    String value();
}
