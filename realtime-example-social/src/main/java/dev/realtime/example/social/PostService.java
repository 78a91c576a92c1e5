package dev.realtime.example.social;

import dev.realtime.Broadcast;
import dev.realtime.Realtime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The timeline, one post, publishing and likes: the rules, with the broadcasts that make them live. */
@Service
class PostService {
    static final Duration TIMELINE_WINDOW = Duration.ofHours(2);
    static final int MAX_CONTENT = 280;

    private final Posts posts;
    private final Follows follows;
    private final Realtime realtime;
    private final Clock clock;
    private final TransactionTemplate tx;

    PostService(Posts posts, Follows follows, Realtime realtime, Clock clock, TransactionTemplate tx) {
        this.posts = posts;
        this.follows = follows;
        this.realtime = realtime;
        this.clock = clock;
        this.tx = tx;
    }

    /** The viewer's timeline page: their and their followings' published posts of the last 2 hours, newest first. */
    Map<String, Object> timeline(Viewer viewer, int perPage, int page) {
        if (perPage < 1 || perPage > 100) {
            throw ApiException.invalid("per_page", "per_page must be between 1 and 100");
        }
        if (page < 1 || page > 10_000) {
            throw ApiException.invalid("page", "page must be between 1 and 10000");
        }
        List<Long> following = follows.followingIds(viewer.id());
        List<Long> authors = new ArrayList<>(following);
        authors.add(viewer.id());
        List<Posts.Post> found = posts.timeline(authors, clock.instant().minus(TIMELINE_WINDOW), perPage, (page - 1) * perPage);
        Set<Long> liked = posts.likedAmong(viewer.id(), found.stream().map(Posts.Post::id).toList());
        List<Posts.Post> data = found.stream().map(p -> p.liked(liked.contains(p.id()))).toList();

        Map<String, Object> pageBody = new LinkedHashMap<>();
        pageBody.put("data", data);
        pageBody.put("current_page", page);
        pageBody.put("per_page", perPage);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("posts", pageBody);
        body.put("following_ids", following);
        body.put("channels", Map.of("timeline", Channels.TIMELINE, "user_timeline", Channels.userTimeline(viewer.id())));
        return body;
    }

    /** One post: 404 unknown, 403 when its author is private and the viewer neither the author nor a follower. */
    Map<String, Object> show(Viewer viewer, long postId) {
        Posts.Post post = visible(viewer.id(), postId);
        boolean liked = posts.likedAmong(viewer.id(), List.of(postId)).contains(postId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("post", post.liked(liked));
        body.put("is_liked", liked);
        body.put("channel", Channels.post(postId));
        return body;
    }

    /** Whether {@code userId} may see the post (and so subscribe to its channel). */
    boolean canView(long userId, long postId) {
        return posts.find(postId).filter(v -> allowed(userId, v)).isPresent();
    }

    /** Publishes a post and sends it to {@code timeline} (public authors) and the private timelines of the author and each follower. */
    Posts.Post publish(Viewer viewer, String content) {
        int length = content == null ? 0 : content.codePointCount(0, content.length());
        if (content == null || content.isBlank() || length > MAX_CONTENT) {
            throw ApiException.invalid("content", "content must be 1 to " + MAX_CONTENT + " characters");
        }
        Instant now = clock.instant();
        long id = posts.insert(viewer.id(), content, now);
        Posts.Visible created = posts.find(id).orElseThrow();
        Posts.Post post = created.post();
        boolean authorPrivate = created.authorPrivate();

        List<String> channels = new ArrayList<>();
        if (!authorPrivate) {
            channels.add(Channels.TIMELINE);
        }
        channels.add(Channels.userTimeline(viewer.id()));
        follows.followerIds(viewer.id()).forEach(f -> channels.add(Channels.userTimeline(f)));
        Map<String, Object> event = Map.of("post", post);
        int chunk = realtime.limits().maxBroadcastChannels();
        for (int i = 0; i < channels.size(); i += chunk) {
            realtime.broadcast(Broadcast.to(channels.subList(i, Math.min(channels.size(), i + chunk)))
                    .event(Channels.POST_PUBLISHED).data(event));
        }
        return post;
    }

    /** Likes or unlikes a visible post, then sends the new count on {@code private-post.{id}}. */
    Map<String, Object> like(Viewer viewer, long postId, boolean like) {
        visible(viewer.id(), postId);
        Instant now = clock.instant();
        int count = tx.execute(s -> {
            boolean changed = like ? posts.like(viewer.id(), postId, now) : posts.unlike(viewer.id(), postId);
            if (changed) {
                posts.addLikes(postId, like ? 1 : -1);
            }
            return posts.likesCount(postId);
        });
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("post_id", postId);
        event.put("likes_count", count);
        realtime.broadcast(Channels.post(postId), Channels.POST_LIKED, event);
        Map<String, Object> body = new LinkedHashMap<>(event);
        body.put("is_liked", like);
        return body;
    }

    private Posts.Post visible(long userId, long postId) {
        Posts.Visible found = posts.find(postId).orElseThrow(() -> ApiException.notFound("no post " + postId));
        if (!allowed(userId, found)) {
            throw ApiException.forbidden("the author's account is private: follow them to see their posts");
        }
        return found.post();
    }

    private boolean allowed(long userId, Posts.Visible found) {
        long author = found.post().userId();
        return !found.authorPrivate() || author == userId || follows.follows(userId, author);
    }
}
