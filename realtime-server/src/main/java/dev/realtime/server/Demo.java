package dev.realtime.server;

import dev.realtime.ConnectionInfo;
import dev.realtime.Member;
import dev.realtime.Realtime;
import dev.realtime.RealtimeListener;
import dev.realtime.User;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small runnable demo until the example app exists: an embedded node on port 6001 (or the first
 * argument) that broadcasts a clock tick on channel {@code demo} every second, authenticates
 * {@code Authorization: Bearer <name>} as user {@code <name>}, and allows every private and
 * presence channel. Run: {@code java -cp realtime-server/target/realtime-server.jar dev.realtime.server.Demo}.
 */
public final class Demo {
    static final String APP_ID = "demo";
    static final String KEY = "demo-key";
    static final String SECRET = "demo-secret";

    private Demo() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : RealtimeServer.DEFAULT_PORT;
        Main.configureLogging();
        Logger log = LoggerFactory.getLogger(Demo.class);
        Realtime realtime = Realtime.builder()
                .app(APP_ID, KEY, SECRET)
                .authenticator(request -> {
                    String name = request.bearerToken();
                    return name == null ? null : User.of(name, Map.of("name", name));
                })
                .authorize("private-*", (user, channel) -> true)
                .presence("presence-*", (user, channel) -> Member.of(user.id(), user.info()))
                .listener(new RealtimeListener() {
                    @Override
                    public void connectionOpened(ConnectionInfo c) {
                        log.info("connected: socket {}", c.socketId());
                    }

                    @Override
                    public void memberAdded(String channel, Member member) {
                        log.info("{} joined {}", member.userId(), channel);
                    }

                    @Override
                    public void memberRemoved(String channel, Member member) {
                        log.info("{} left {}", member.userId(), channel);
                    }
                })
                .build();
        RealtimeServer server = RealtimeServer.on(realtime).port(port).websocket().start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> realtime.broadcast("demo", "tick",
                Map.of("time", Instant.now().toString(), "connections", realtime.connectionCount())), 1, 1, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ticker.shutdownNow();
            server.stop();
            realtime.close();
        }, "demo-shutdown"));
        log.info("demo running at {} (app id {}, key {}, secret {}). Connect with pusher-js:\n"
                        + "  new Pusher('{}', {wsHost: 'localhost', wsPort: {}, forceTLS: false, enabledTransports: ['ws'], cluster: ''})\n"
                        + "      .subscribe('demo').bind('tick', console.log)\n"
                        + "Private and presence channels authorize through {}/pusher/auth with 'Authorization: Bearer <your name>'.",
                server.url(), APP_ID, KEY, SECRET, KEY, server.port(), server.url());
        server.join();
    }
}
