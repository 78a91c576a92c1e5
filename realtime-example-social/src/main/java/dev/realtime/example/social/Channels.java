package dev.realtime.example.social;

/** The app's channel and event names, in one place for the services, the authorizers and the page's config. */
final class Channels {
    static final String ONLINE_USERS = "presence-online-users";
    static final String TIMELINE = "timeline";
    static final String USER_TIMELINE_PREFIX = "private-user.timeline.";
    static final String POST_PREFIX = "private-post.";

    static final String USER_STATUS = "user.status";
    static final String POST_PUBLISHED = "post.published";
    static final String POST_LIKED = "post.liked";

    private Channels() {
    }

    static String userTimeline(long userId) {
        return USER_TIMELINE_PREFIX + userId;
    }

    static String post(long postId) {
        return POST_PREFIX + postId;
    }
}
