package dev.realtime.example.social;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The issue's {@code /api/realtime/*} endpoints: status, online users, a user's status, the timeline, one post. */
@RestController
@RequestMapping("/api/realtime")
class RealtimeApi {
    /** The status form. */
    record StatusRequest(String status) {
    }

    private final UserStatus status;
    private final Users users;
    private final PostService posts;

    RealtimeApi(UserStatus status, Users users, PostService posts) {
        this.status = status;
        this.users = users;
        this.posts = posts;
    }

    @PostMapping("/status")
    Map<String, Object> setStatus(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @RequestBody StatusRequest request) {
        viewer.require(Viewer.STATUS_UPDATE);
        return status.set(viewer, request.status());
    }

    @GetMapping("/online-users")
    Map<String, List<Users.Online>> onlineUsers(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer) {
        viewer.require(Viewer.USERS_VIEW);
        return Map.of("data", status.online());
    }

    @GetMapping("/users/{userId}/status")
    Map<String, Object> userStatus(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable long userId) {
        viewer.require(Viewer.USERS_VIEW);
        Users.Status s = users.status(userId).orElseThrow(() -> ApiException.notFound("no user " + userId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", s.id());
        body.put("is_online", s.isOnline());
        body.put("last_seen_at", Sql.iso(s.lastSeenAt()));
        return body;
    }

    @GetMapping("/timeline")
    Map<String, Object> timeline(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer,
            @RequestParam(name = "per_page", defaultValue = "30") int perPage,
            @RequestParam(name = "page", defaultValue = "1") int page) {
        viewer.require(Viewer.TIMELINE_VIEW);
        return posts.timeline(viewer, perPage, page);
    }

    @GetMapping("/posts/{post}")
    Map<String, Object> post(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable("post") long postId) {
        viewer.require(Viewer.TIMELINE_VIEW);
        return posts.show(viewer, postId);
    }
}
