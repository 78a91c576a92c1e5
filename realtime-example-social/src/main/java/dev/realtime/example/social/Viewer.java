package dev.realtime.example.social;

import java.util.Set;

/**
 * The signed-in user making a request, as resolved from its bearer token.
 *
 * @param permissions the user's permissions, e.g. {@code realtime.timeline.view}
 */
record Viewer(long id, String name, String username, String avatar, Set<String> permissions) {
    /** The request attribute {@link TokenFilter} stores the viewer under. */
    static final String ATTRIBUTE = "social.viewer";

    static final String STATUS_UPDATE = "realtime.status.update";
    static final String USERS_VIEW = "realtime.users.view";
    static final String TIMELINE_VIEW = "realtime.timeline.view";

    /** Refuses with 403 unless the viewer holds {@code permission}. */
    void require(String permission) {
        if (!permissions.contains(permission)) {
            throw ApiException.forbidden("this account lacks the permission " + permission);
        }
    }
}
