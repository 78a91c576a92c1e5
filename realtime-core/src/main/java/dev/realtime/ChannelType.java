package dev.realtime;

/** The kind of a channel, decided by its name's prefix (PROTOCOL.md §2). */
public enum ChannelType {
    /** No prefix: anyone may subscribe; no client events. */
    PUBLIC(false, false, false, false),
    /** {@code private-}: signed subscription. */
    PRIVATE(true, false, false, false),
    /** {@code presence-}: signed subscription with a member list. */
    PRESENCE(true, true, false, false),
    /** {@code private-encrypted-}: signed; the server relays ciphertext and allows no client events. */
    PRIVATE_ENCRYPTED(true, false, true, false),
    /** {@code cache-}: public, replays the last event on subscribe. */
    CACHE(false, false, false, true),
    /** {@code private-cache-}. */
    PRIVATE_CACHE(true, false, false, true),
    /** {@code private-encrypted-cache-}. */
    PRIVATE_ENCRYPTED_CACHE(true, false, true, true),
    /** {@code presence-cache-}. */
    PRESENCE_CACHE(true, true, false, true),
    /** {@code #server-to-user-{id}}: only the socket signed in as that user may subscribe. */
    SERVER_TO_USER(false, false, false, false);

    /** The prefix of the internal per-user channel. */
    public static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

    private final boolean signed;
    private final boolean presence;
    private final boolean encrypted;
    private final boolean cache;

    ChannelType(boolean signed, boolean presence, boolean encrypted, boolean cache) {
        this.signed = signed;
        this.presence = presence;
        this.encrypted = encrypted;
        this.cache = cache;
    }

    /** The type of the channel called {@code name}, most specific prefix first. */
    public static ChannelType of(String name) {
        if (name.startsWith("private-encrypted-cache-")) return PRIVATE_ENCRYPTED_CACHE;
        if (name.startsWith("private-encrypted-")) return PRIVATE_ENCRYPTED;
        if (name.startsWith("private-cache-")) return PRIVATE_CACHE;
        if (name.startsWith("private-")) return PRIVATE;
        if (name.startsWith("presence-cache-")) return PRESENCE_CACHE;
        if (name.startsWith("presence-")) return PRESENCE;
        if (name.startsWith("cache-")) return CACHE;
        if (name.startsWith(SERVER_TO_USER_PREFIX)) return SERVER_TO_USER;
        return PUBLIC;
    }

    /** Whether subscribing needs a signature from the auth endpoint. */
    public boolean requiresAuth() {
        return signed;
    }

    /** Whether the channel keeps a member list. */
    public boolean isPresence() {
        return presence;
    }

    /** Whether payloads are end-to-end encrypted. */
    public boolean isEncrypted() {
        return encrypted;
    }

    /** Whether the last event is replayed to new subscribers. */
    public boolean isCache() {
        return cache;
    }

    /** Whether clients may send {@code client-} events on it (private and presence, not encrypted). */
    public boolean allowsClientEvents() {
        return signed && !encrypted;
    }
}
