package dev.realtime.example.social;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The example app's benchmark (not part of {@code mvn verify}): starts the packaged jar with 10 000 users and
 * 100 000 posts seeded, measures p50/p99 of the timeline and online-users endpoints under concurrent load
 * with the caches on and off, and the time from {@code POST /api/posts} to delivery at 1 000 connected
 * followers (raw Pusher protocol over java.net.http WebSockets, each authorized at /broadcasting/auth).
 * Run from realtime-example-social after {@code mvn -B -q install -DskipTests}; see BENCHMARKS.md.
 * Arguments: {@code [--db-url URL] [--threads 8] [--seconds 15] [--followers 1000]}; default a fresh
 * PostgreSQL schema on 127.0.0.1:5432. With {@code --url http://…} it only loads the two endpoints of an app
 * already running with the benchmark data.
 */
public final class SocialBench {
    /** Long enough for the JIT: with 3 s the first endpoint measured a cold server (p50 ten times the warm one). */
    private static final int WARM_UP_SECONDS = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    private SocialBench() {
    }

    record Stats(String name, int requests, int errors, double seconds, double p50, double p99, double max) {
        String row() {
            return String.format("| %s | %d | %.0f | %.1f | %.1f | %.1f | %d |", name, requests, requests / seconds, p50, p99, max, errors);
        }
    }

    /** Runs the benchmark and prints the tables BENCHMARKS.md shows. */
    public static void main(String[] args) throws Exception {
        String db = option(args, "--db-url", null);
        int threads = Integer.parseInt(option(args, "--threads", "8"));
        int seconds = Integer.parseInt(option(args, "--seconds", "15"));
        int followers = Integer.parseInt(option(args, "--followers", "1000"));
        String url = option(args, "--url", null);
        if (url != null) { // an app already running and seeded: the two endpoints only, with its own cache settings
            List<String> tokens = logins(url, 500, threads);
            markOnline(url, tokens.subList(0, 200));
            load("timeline", url, tokens, "/api/realtime/timeline?per_page=30&page=1", threads, seconds);
            load("online-users", url, tokens, "/api/realtime/online-users", threads, seconds);
            System.exit(0);
        }
        boolean dropSchema = db == null;
        if (db == null) {
            db = Databases.postgresSchema("social_bench");
        }
        List<String> common = List.of("--db-url", db, "--seed-users", "10000", "--seed-posts", "100000",
                "--social.rate-limit-per-minute=1000000000", "--logging.level.dev.realtime=WARN");
        List<Stats> results = new ArrayList<>();
        String delivery;
        try {
            long start = System.nanoTime();
            try (AppProcess app = AppProcess.start("bench-cached", common)) {
                System.out.printf("started and seeded in %.1f s%n", (System.nanoTime() - start) / 1e9);
                List<String> tokens = logins(app.url(), 500, threads);
                markOnline(app.url(), tokens.subList(0, 200));
                results.add(load("timeline, cached following ids", app.url(), tokens, "/api/realtime/timeline?per_page=30&page=1", threads, seconds));
                results.add(load("online-users, cached", app.url(), tokens, "/api/realtime/online-users", threads, seconds));
                delivery = delivery(app, followers, threads);
            }
            try (AppProcess app = AppProcess.start("bench-uncached", concat(common,
                    List.of("--social.online-users-ttl=0s", "--social.following-ttl=0s")))) {
                List<String> tokens = logins(app.url(), 500, threads);
                markOnline(app.url(), tokens.subList(0, 200));
                results.add(load("timeline, uncached", app.url(), tokens, "/api/realtime/timeline?per_page=30&page=1", threads, seconds));
                results.add(load("online-users, uncached", app.url(), tokens, "/api/realtime/online-users", threads, seconds));
            }
        } finally {
            if (dropSchema) {
                Databases.dropPostgresSchema(db);
            }
        }
        System.out.println();
        System.out.printf("%d client threads, %d s per endpoint after a %d s warm-up, 500 users' tokens in turn, 200 users online%n",
                threads, seconds, WARM_UP_SECONDS);
        System.out.println("| endpoint | requests | req/s | p50 ms | p99 ms | max ms | errors |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        results.forEach(r -> System.out.println(r.row()));
        System.out.println();
        System.out.println(delivery);
        System.exit(0);
    }

    /** Logs in bench1…benchN; returns their tokens. */
    private static List<String> logins(String base, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> futures = IntStream.rangeClosed(1, n)
                    .mapToObj(i -> pool.submit(() -> new Api(base).login("bench" + i))).toList();
            List<String> tokens = new ArrayList<>();
            for (Future<String> f : futures) {
                tokens.add(f.get());
            }
            return tokens;
        } finally {
            pool.shutdown();
        }
    }

    private static void markOnline(String base, List<String> tokens) {
        Api api = new Api(base);
        tokens.forEach(t -> api.post("/api/realtime/status", t, Map.of("status", "online")).expect(200));
    }

    /** {@code threads} clients each sending GET {@code path} back to back, with the tokens in turn. */
    private static Stats load(String name, String base, List<String> tokens, String path, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
        long end = warmUpEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> all = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                long[] times = new long[2_000_000];
                int n = 0;
                Api api = new Api(base);
                while (true) {
                    String token = tokens.get(Math.floorMod(next.getAndIncrement(), tokens.size()));
                    long before = System.nanoTime();
                    if (before >= end) {
                        break;
                    }
                    int status = api.get(path, token).status();
                    long after = System.nanoTime();
                    if (before >= warmUpEnd) {
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        times[n++] = after - before;
                    }
                }
                all.add(java.util.Arrays.copyOf(times, n));
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        Stats stats = new Stats(name, merged.length, errors.get(), seconds, ms(merged, 0.50), ms(merged, 0.99),
                merged.length == 0 ? 0 : merged[merged.length - 1] / 1e6);
        System.out.println(stats.row());
        return stats;
    }

    /** Connects {@code n} followers of alice, then times 10 posts by alice from the POST to each follower's frame. */
    private static String delivery(AppProcess app, int n, int threads) throws Exception {
        String base = app.url();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Follower>> connecting = IntStream.rangeClosed(1, n)
                .mapToObj(i -> pool.submit(() -> Follower.connect(app.port, base, "bench" + i))).toList();
        List<Follower> connected = new ArrayList<>();
        for (Future<Follower> f : connecting) {
            connected.add(f.get());
        }
        pool.shutdown();
        System.out.printf("%d followers connected and subscribed%n", connected.size());
        Api api = new Api(base);
        String alice = api.login("alice");
        List<Long> all = new ArrayList<>();
        List<Long> lasts = new ArrayList<>();
        List<Long> posts = new ArrayList<>();
        for (int round = 0; round < 11; round++) {
            connected.forEach(Follower::reset);
            long t0 = System.nanoTime();
            Api.Reply reply = api.post("/api/posts", alice, Map.of("content", "delivery round " + round)).expect(201);
            long posted = System.nanoTime();
            long id = reply.get("post").get("id").asLong();
            long last = 0;
            List<Long> round_ = new ArrayList<>();
            for (Follower f : connected) {
                long at = f.await(id);
                round_.add(at - t0);
                last = Math.max(last, at - t0);
            }
            if (round > 0) { // the first round warms up
                all.addAll(round_);
                lasts.add(last);
                posts.add(posted - t0);
            }
            Thread.sleep(500);
        }
        connected.forEach(Follower::close);
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] lastSorted = lasts.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] postSorted = posts.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("POST /api/posts to delivery at %d connected followers (WebSocket, private-user.timeline.{id} each), "
                        + "10 posts: per delivery p50 %.1f ms, p99 %.1f ms; last follower reached p50 %.1f ms, max %.1f ms; "
                        + "POST answered p50 %.1f ms",
                n, ms(sorted, 0.5), ms(sorted, 0.99), ms(lastSorted, 0.5), lastSorted[lastSorted.length - 1] / 1e6, ms(postSorted, 0.5));
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One follower's WebSocket, speaking the Pusher protocol: it records when each post.published arrives. */
    static final class Follower implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<String> socketId = new CompletableFuture<>();
        private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        private volatile CountDownLatch arrived = new CountDownLatch(1);
        private WebSocket socket;

        static Follower connect(int port, String base, String username) throws Exception {
            Api api = new Api(base);
            Api.Reply login = api.post("/api/login", null, Map.of("username", username, "password", "demo")).expect(200);
            String token = login.get("token").asText();
            long id = login.get("user").get("id").asLong();
            Follower f = new Follower();
            f.socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/social-key?protocol=7&client=java&version=bench"), f)
                    .get(30, TimeUnit.SECONDS);
            String socketId = f.socketId.get(30, TimeUnit.SECONDS);
            String channel = "private-user.timeline." + id;
            String form = "socket_id=" + URLEncoder.encode(socketId, StandardCharsets.UTF_8) + "&channel_name="
                    + URLEncoder.encode(channel, StandardCharsets.UTF_8);
            HttpResponse<String> auth = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/broadcasting/auth"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (auth.statusCode() != 200) {
                throw new IllegalStateException("auth of " + username + ": " + auth.statusCode() + " " + auth.body());
            }
            String signature = Api.JSON.readTree(auth.body()).get("auth").asText();
            f.socket.sendText(Api.JSON.writeValueAsString(Map.of("event", "pusher:subscribe",
                    "data", Map.of("channel", channel, "auth", signature))), true).get(10, TimeUnit.SECONDS);
            f.subscribed.get(30, TimeUnit.SECONDS);
            return f;
        }

        void reset() {
            arrived = new CountDownLatch(1);
        }

        long await(long postId) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Long at = arrivals.get(postId);
                if (at != null) {
                    return at;
                }
                arrived.await(100, TimeUnit.MILLISECONDS);
            }
            throw new IllegalStateException("post " + postId + " did not arrive within 30 s");
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long at = System.nanoTime();
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                try {
                    handle(frame, at);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String frame, long at) throws Exception {
            JsonNode json = Api.JSON.readTree(frame);
            String event = json.path("event").asText();
            switch (event) {
                case "pusher:connection_established" ->
                        socketId.complete(Api.JSON.readTree(json.get("data").asText()).get("socket_id").asText());
                case "pusher_internal:subscription_succeeded" -> subscribed.complete(null);
                case "pusher:ping" -> socket.sendText("{\"event\":\"pusher:pong\",\"data\":{}}", true);
                case "pusher:error" -> subscribed.completeExceptionally(new IllegalStateException(frame));
                case "post.published" -> {
                    arrivals.put(Api.JSON.readTree(json.get("data").asText()).get("post").get("id").asLong(), at);
                    arrived.countDown();
                }
                default -> { }
            }
        }
    }
}
