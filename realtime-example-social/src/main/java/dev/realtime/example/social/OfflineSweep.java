package dev.realtime.example.social;

import dev.realtime.Member;
import dev.realtime.Realtime;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every minute: users marked online but not seen for {@code social.offline-after} (5 minutes) are marked
 * offline and their {@code user.status} broadcast. A user still in presence-online-users (a page open,
 * on any node) is not: the open page is a sign of life that makes no API request.
 */
@Component
class OfflineSweep {
    private final Users users;
    private final UserStatus status;
    private final Realtime realtime;
    private final Clock clock;
    private final SocialProperties properties;

    OfflineSweep(Users users, UserStatus status, Realtime realtime, Clock clock, SocialProperties properties) {
        this.users = users;
        this.status = status;
        this.realtime = realtime;
        this.clock = clock;
        this.properties = properties;
    }

    /** Runs the sweep; returns how many users it marked offline. */
    @Scheduled(fixedDelayString = "${social.offline-sweep-millis:60000}", initialDelayString = "${social.offline-sweep-millis:60000}")
    int sweep() {
        Set<String> present = realtime.presence(Channels.ONLINE_USERS).stream().map(Member::userId).collect(Collectors.toSet());
        int marked = 0;
        for (long id : users.staleOnline(clock.instant().minus(properties.offlineAfter()))) {
            if (!present.contains(String.valueOf(id))) {
                status.markOffline(id);
                marked++;
            }
        }
        return marked;
    }
}
