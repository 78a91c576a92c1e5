package dev.realtime;

import java.util.Map;
import java.util.Objects;

/**
 * A member of a presence channel: the user id and the {@code user_info} other members see.
 *
 * @param userId   the member's user id (presence counts each user once, whatever its connections)
 * @param userInfo public information shown to the other members
 */
public record Member(String userId, Map<String, Object> userInfo) {

    public Member {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("member user id must not be blank");
        }
        userInfo = userInfo == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(userInfo));
    }

    /** A member with the given id and info. */
    public static Member of(String userId, Map<String, Object> userInfo) {
        return new Member(userId, userInfo);
    }

    /** A member with the given id and no info. */
    public static Member of(String userId) {
        return new Member(userId, Map.of());
    }
}
