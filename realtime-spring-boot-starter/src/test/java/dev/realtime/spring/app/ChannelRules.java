package dev.realtime.spring.app;

import dev.realtime.User;
import dev.realtime.spring.RealtimeChannel;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The application's channel rules, Laravel-style: one method per pattern. */
@Component
public class ChannelRules {

    /** A user's own channel. */
    @RealtimeChannel("private-user.{userId}")
    public boolean ownChannel(User user, String userId) {
        return user.id().equals(userId);
    }

    /** Any room but "closed"; the other members see the user's name and the room. */
    @RealtimeChannel("presence-room.{roomId}")
    public Map<String, Object> room(User user, String roomId) {
        return roomId.equals("closed") ? null : Map.of("name", user.info().get("name"), "room", roomId);
    }
}
