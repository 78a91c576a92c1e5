package dev.realtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.ChannelAuthorizer;
import dev.realtime.Member;
import org.junit.jupiter.api.Test;

class AuthorizerRegistryTest {
    private final ChannelAuthorizer yes = (u, c) -> true;

    @Test
    void placeholderMatchesOneSegmentAndCapturesIt() {
        AuthorizerRegistry r = new AuthorizerRegistry();
        r.addPrivate("private-user.{userId}", yes);
        assertThat(r.match("private-user.42").params()).containsEntry("userId", "42");
        assertThat(r.match("private-user.42.extra")).isNull();
        assertThat(r.match("private-user.")).isNull();
    }

    @Test
    void wildcardMatchesAnythingIncludingDots() {
        AuthorizerRegistry r = new AuthorizerRegistry();
        r.addPrivate("private-chat.*", yes);
        assertThat(r.match("private-chat.a.b")).isNotNull();
        assertThat(r.match("private-chat.")).isNull();
        assertThat(r.match("private-other")).isNull();
    }

    @Test
    void mostSpecificPatternWinsWhateverTheRegistrationOrder() {
        AuthorizerRegistry r = new AuthorizerRegistry();
        ChannelAuthorizer generic = (u, c) -> false;
        ChannelAuthorizer specific = (u, c) -> true;
        r.addPrivate("private-*", generic);
        r.addPrivate("private-chat.{room}", (u, c) -> false);
        r.addPrivate("private-chat.lobby", specific);
        assertThat(r.match("private-chat.lobby").entry().privateAuthorizer()).isSameAs(specific);
        assertThat(r.match("private-chat.kitchen").entry().pattern()).isEqualTo("private-chat.{room}");
        assertThat(r.match("private-x").entry().privateAuthorizer()).isSameAs(generic);
    }

    @Test
    void presencePatternsHoldPresenceAuthorizers() {
        AuthorizerRegistry r = new AuthorizerRegistry();
        r.addPresence("presence-room.{roomId}", (u, c) -> Member.of(u.id()));
        assertThat(r.match("presence-room.7").entry().presenceAuthorizer()).isNotNull();
        assertThat(r.match("presence-room.7").params()).containsEntry("roomId", "7");
    }

    @Test
    void badPatternsAreRejectedWithTheReason() {
        AuthorizerRegistry r = new AuthorizerRegistry();
        assertThatThrownBy(() -> r.addPrivate("presence-x", yes)).hasMessageContaining("start with 'private-'");
        assertThatThrownBy(() -> r.addPresence("private-x", (u, c) -> null)).hasMessageContaining("'presence-'");
        assertThatThrownBy(() -> r.addPrivate("private-{a", yes)).hasMessageContaining("malformed placeholder");
        assertThatThrownBy(() -> r.addPrivate("private-a b", yes)).hasMessageContaining("contains ' '");
        assertThatThrownBy(() -> r.addPrivate("private-{a}.{a}", yes)).hasMessageContaining("twice");
        r.addPrivate("private-x", yes);
        assertThatThrownBy(() -> r.addPrivate("private-x", yes)).hasMessageContaining("registered twice");
    }
}
