package dev.realtime;

import dev.realtime.testing.InMemoryTransport;
import java.util.Map;

/** Shared setup: a node with the PROTOCOL.md test credentials and an in-memory transport. */
public abstract class RealtimeTestSupport {
    public static final String APP_ID = "3";
    public static final String KEY = "278d425bdf160c739803";
    public static final String SECRET = "7ad3773142a6692b25b8";

    protected static final User ALICE = User.of("1", Map.of("name", "Alice"));
    protected static final User BOB = User.of("2", Map.of("name", "Bob"));
    protected static final User CAROL = User.of("3", Map.of("name", "Carol"));

    /** A builder with credentials, a memory transport and permissive authorizers for private-/presence- channels. */
    protected static RealtimeBuilder builder(InMemoryTransport memory) {
        return Realtime.builder()
                .app(APP_ID, KEY, SECRET)
                .transport(memory)
                .authorize("private-*", (user, channel) -> true)
                .presence("presence-*", (user, channel) -> Member.of(user.id(), user.info()));
    }
}
