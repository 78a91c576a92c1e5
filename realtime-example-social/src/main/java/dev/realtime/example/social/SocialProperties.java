package dev.realtime.example.social;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The app's own settings ({@code social.*}); the realtime node's are the starter's {@code realtime.*}.
 *
 * @param presenceGrace      how long a user who left presence-online-users on their last connection stays online (a reload is not a leave)
 * @param rateLimitPerMinute API requests one user may make per minute
 * @param offlineAfter       silence after which the sweep marks an online user offline, and the window of "online users"
 * @param lastSeenWriteEvery last_seen_at is written at most this often per user
 * @param onlineUsersTtl     how long the online-users list is cached
 * @param followingTtl       how long a user's following ids are cached
 * @param onlineUsersLimit   the most users the online-users list returns
 * @param seed               benchmark data: generated users and posts to add on start
 */
@ConfigurationProperties("social")
public record SocialProperties(Duration presenceGrace, Integer rateLimitPerMinute, Duration offlineAfter,
        Duration lastSeenWriteEvery, Duration onlineUsersTtl, Duration followingTtl, Integer onlineUsersLimit, Seed seed) {

    public SocialProperties {
        presenceGrace = presenceGrace != null ? presenceGrace : Duration.ofSeconds(10);
        rateLimitPerMinute = rateLimitPerMinute != null ? rateLimitPerMinute : 60;
        offlineAfter = offlineAfter != null ? offlineAfter : Duration.ofMinutes(5);
        lastSeenWriteEvery = lastSeenWriteEvery != null ? lastSeenWriteEvery : Duration.ofMinutes(1);
        onlineUsersTtl = onlineUsersTtl != null ? onlineUsersTtl : Duration.ofSeconds(60);
        followingTtl = followingTtl != null ? followingTtl : Duration.ofHours(1);
        onlineUsersLimit = onlineUsersLimit != null ? onlineUsersLimit : 200;
        seed = seed != null ? seed : new Seed(0, 0);
    }

    /**
     * Generated benchmark data ({@code --seed-users}, {@code --seed-posts}).
     *
     * @param users generated users to have in all
     * @param posts generated posts to have in all
     */
    public record Seed(int users, int posts) {
    }
}
