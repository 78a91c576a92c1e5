package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelTypeTest {
    @Test
    void prefixesMostSpecificFirst() {
        assertThat(ChannelType.of("news")).isEqualTo(ChannelType.PUBLIC);
        assertThat(ChannelType.of("private-a")).isEqualTo(ChannelType.PRIVATE);
        assertThat(ChannelType.of("presence-a")).isEqualTo(ChannelType.PRESENCE);
        assertThat(ChannelType.of("private-encrypted-a")).isEqualTo(ChannelType.PRIVATE_ENCRYPTED);
        assertThat(ChannelType.of("cache-a")).isEqualTo(ChannelType.CACHE);
        assertThat(ChannelType.of("private-cache-a")).isEqualTo(ChannelType.PRIVATE_CACHE);
        assertThat(ChannelType.of("private-encrypted-cache-a")).isEqualTo(ChannelType.PRIVATE_ENCRYPTED_CACHE);
        assertThat(ChannelType.of("presence-cache-a")).isEqualTo(ChannelType.PRESENCE_CACHE);
        assertThat(ChannelType.of("#server-to-user-1")).isEqualTo(ChannelType.SERVER_TO_USER);
    }

    @Test
    void clientEventsOnlyOnSignedUnencryptedChannels() {
        assertThat(ChannelType.PRIVATE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PRESENCE_CACHE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PUBLIC.allowsClientEvents()).isFalse();
        assertThat(ChannelType.CACHE.allowsClientEvents()).isFalse();
        assertThat(ChannelType.PRIVATE_ENCRYPTED.allowsClientEvents()).isFalse();
    }
}
