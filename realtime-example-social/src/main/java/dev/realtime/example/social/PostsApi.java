package dev.realtime.example.social;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What makes the page live: publishing, likes and follows ({@code /api/posts}, {@code /api/users/{id}/follow}). */
@RestController
class PostsApi {
    /** The new post. */
    record NewPost(String content) {
    }

    private final PostService posts;
    private final Users users;
    private final Follows follows;

    PostsApi(PostService posts, Users users, Follows follows) {
        this.posts = posts;
        this.users = users;
        this.follows = follows;
    }

    @PostMapping("/api/posts")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> publish(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @RequestBody NewPost request) {
        return Map.of("post", posts.publish(viewer, request.content()));
    }

    @PostMapping("/api/posts/{id}/like")
    Map<String, Object> like(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable long id) {
        return posts.like(viewer, id, true);
    }

    @DeleteMapping("/api/posts/{id}/like")
    Map<String, Object> unlike(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable long id) {
        return posts.like(viewer, id, false);
    }

    @PostMapping("/api/users/{id}/follow")
    Map<String, Object> follow(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable long id) {
        target(viewer, id);
        follows.follow(viewer.id(), id);
        return following(id, true);
    }

    @DeleteMapping("/api/users/{id}/follow")
    Map<String, Object> unfollow(@RequestAttribute(Viewer.ATTRIBUTE) Viewer viewer, @PathVariable long id) {
        target(viewer, id);
        follows.unfollow(viewer.id(), id);
        return following(id, false);
    }

    private void target(Viewer viewer, long id) {
        if (users.isPrivate(id).isEmpty()) {
            throw ApiException.notFound("no user " + id);
        }
        if (id == viewer.id()) {
            throw ApiException.invalid("id", "you cannot follow yourself");
        }
    }

    private static Map<String, Object> following(long id, boolean following) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", id);
        body.put("following", following);
        return body;
    }
}
