package dev.realtime.example.social;

import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.RealtimeListener;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Presence drives status: joining presence-online-users marks a user online; leaving it on their last
 * connection marks them offline after {@code social.presence-grace} unless they came back (a reload, a
 * page change). Work is handed to a thread of its own: listener callbacks run on the realtime event thread,
 * which must not wait on the database.
 */
@Component
class PresenceTracker implements RealtimeListener {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceTracker.class);

    // the Realtime bean is built with this listener (and UserStatus needs it), so both are looked up when used
    private final ObjectProvider<UserStatus> status;
    private final ObjectProvider<Realtime> realtime;
    private final long graceMillis;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "social-presence");
        t.setDaemon(true);
        return t;
    });

    PresenceTracker(ObjectProvider<UserStatus> status, ObjectProvider<Realtime> realtime, SocialProperties properties) {
        this.status = status;
        this.realtime = realtime;
        this.graceMillis = properties.presenceGrace().toMillis();
    }

    @Override
    public void memberAdded(String channel, Member member) {
        if (Channels.ONLINE_USERS.equals(channel)) {
            worker.execute(() -> run(() -> status.getObject().markOnline(Long.parseLong(member.userId()))));
        }
    }

    @Override
    public void memberRemoved(String channel, Member member) {
        if (Channels.ONLINE_USERS.equals(channel)) {
            worker.schedule(() -> run(() -> {
                boolean back = realtime.getObject().presence(Channels.ONLINE_USERS).stream()
                        .anyMatch(m -> m.userId().equals(member.userId()));
                if (!back) {
                    status.getObject().markOffline(Long.parseLong(member.userId()));
                }
            }), graceMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("presence status update failed", e);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
