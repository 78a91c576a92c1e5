package dev.realtime.example.social;

import dev.realtime.User;
import dev.realtime.spring.RealtimeChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Who may subscribe to the app's private and presence channels (the browser asks at /broadcasting/auth). */
@Component
class ChannelRules {
    private final PostService posts;

    ChannelRules(PostService posts) {
        this.posts = posts;
    }

    /** Every signed-in user is in the online list; the others see their id, name and avatar. */
    @RealtimeChannel(Channels.ONLINE_USERS)
    Map<String, Object> onlineUsers(User user) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", Long.parseLong(user.id()));
        info.put("name", user.info().get("name"));
        info.put("avatar", user.info().get("avatar"));
        return info;
    }

    /** A user's own timeline channel: that user only. */
    @RealtimeChannel(Channels.USER_TIMELINE_PREFIX + "{userId}")
    boolean userTimeline(User user, long userId) {
        return user.id().equals(Long.toString(userId));
    }

    /** A post's channel: whoever may see the post (its author is public, or the user is the author or a follower). */
    @RealtimeChannel(Channels.POST_PREFIX + "{postId}")
    boolean post(User user, long postId) {
        return posts.canView(Long.parseLong(user.id()), postId);
    }
}
