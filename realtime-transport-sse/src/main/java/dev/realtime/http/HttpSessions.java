package dev.realtime.http;

import dev.realtime.Realtime;
import dev.realtime.spi.OutboundQueue;
import dev.realtime.spi.TransportContext;
import dev.realtime.spi.WriteScheduler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open HTTP sessions of one {@link HttpTransport}, by id: the path a pusher-js client chose
 * ({@code 123/abcd1234}), or an id the server issued. Creating one checks the caps (in total and per
 * remote address); a session leaves the registry as it ends. Thread-safe.
 */
public final class HttpSessions {
    private static final Base64.Encoder ID_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final HttpTransport transport;
    private final HttpTransport.Settings settings;
    private final ConcurrentHashMap<String, HttpSession> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    HttpSessions(HttpTransport transport, HttpTransport.Settings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    /** The open session with {@code id}, or null. */
    public HttpSession find(String id) {
        return id == null ? null : byId.get(id);
    }

    /**
     * The server-issued session {@code id} when the request carries its secret (header
     * {@code X-Realtime-Secret}, or query parameter {@code secret}); null otherwise, whether the session
     * does not exist or is not the caller's (the same answer, so the secret cannot be probed).
     */
    public HttpSession findIssued(HttpExchange exchange, String id) {
        HttpSession session = find(id);
        return session != null && session.secretMatches(HttpDispatcher.secret(exchange)) ? session : null;
    }

    /**
     * A new session for the exchange's peer, under {@code id} (a client-chosen path), or under a new
     * random id with a secret when {@code id} is null. Null after answering the refusal on the exchange:
     * 503 when the transport is not running or {@code maxSessions} are open, 429 when the peer's address
     * has {@code maxSessionsPerIp} open, 409 when another peer holds {@code id}. The session is not
     * open on the node yet: attach the response, then {@link HttpSession#open}.
     */
    public HttpSession create(HttpExchange exchange, String id) {
        TransportContext context = transport.context();
        WriteScheduler writes = transport.writes();
        ScheduledExecutorService timer = transport.timer();
        if (context == null || writes == null || timer == null) {
            Answers.error(exchange, 503, "the realtime HTTP transport is not running");
            return null;
        }
        String address = java.util.Objects.requireNonNullElse(exchange.remoteAddress(), "unknown");
        if (total.incrementAndGet() > settings.maxSessions) {
            total.decrementAndGet();
            exchange.setHeader("Retry-After", "5");
            Answers.error(exchange, 503, "too many sessions: at most " + settings.maxSessions + " (HttpTransport maxSessions)");
            return null;
        }
        if (!takeAddress(address)) {
            total.decrementAndGet();
            exchange.setHeader("Retry-After", "5");
            Answers.error(exchange, 429, "too many sessions from " + address + ": at most " + settings.maxSessionsPerIp
                    + " (HttpTransport maxSessionsPerIp)");
            return null;
        }
        boolean issued = id == null;
        String key = issued ? randomToken() : id;
        HttpSession session = new HttpSession(this, key, address, issued ? randomToken() : null, context, timer, settings);
        OutboundQueue queue = OutboundQueue.builder(context.limits().outboundQueueFrames())
                .stats(transport.stats())
                .writeScheduler(writes)
                .timer(timer)
                .closeTimeout(settings.closeTimeout)
                .detachTimeout(sessionTimeout(context))
                .onExpired(session::expired)
                .onFailure(session::failed)
                .build();
        session.queue(queue);
        HttpSession existing = byId.putIfAbsent(key, session);
        if (existing != null) {
            queue.terminated();
            release(address);
            Answers.error(exchange, 409, "session " + key + " is in use" + (existing.ownedBy(address) ? "" : " by another client"));
            return null;
        }
        return session;
    }

    /** How long a session may go without a request. */
    Duration sessionTimeout(TransportContext context) {
        return settings.sessionTimeout != null ? settings.sessionTimeout : Duration.ofSeconds(context.activityTimeoutSeconds());
    }

    /** Sessions open now. */
    public int count() {
        return byId.size();
    }

    /** Sessions open now from {@code address}. */
    public int count(String address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** The node the sessions belong to (authenticator, authorizers, app credentials); null when not running. */
    public Realtime realtime() {
        TransportContext context = transport.context();
        return context == null ? null : context.realtime();
    }

    /** How long a poll waits for frames before it is answered with a heartbeat. */
    public Duration pollTimeout() {
        return settings.pollTimeout;
    }

    /** Closes every session with {@code code}: the close goes to the response attached, if any. */
    void closeAll(int code, String reason) {
        for (HttpSession s : byId.values()) {
            s.close(code, reason);
        }
    }

    /** Ends every session now (the node is told), whether or not its close reached the client. */
    void endAll(int code, String reason) {
        for (HttpSession s : byId.values()) {
            s.ended(code, reason);
        }
    }

    /** Forgets an ended session. */
    void remove(HttpSession session) {
        if (byId.remove(session.id(), session)) {
            release(session.remoteAddress());
        }
    }

    private boolean takeAddress(String address) {
        boolean[] taken = {false};
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= settings.maxSessionsPerIp) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    private void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** 128 random bits, URL-safe. */
    private String randomToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return ID_ENCODING.encodeToString(bytes);
    }
}
