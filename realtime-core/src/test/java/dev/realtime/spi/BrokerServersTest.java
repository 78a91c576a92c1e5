package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The skip rule of the broker tests: skipped with a message locally, failed on CI. */
class BrokerServersTest {
    @Test
    void aMissingServerSkipsTheTestOrFailsItOnCi() {
        int closed = BrokerServers.freePort();
        Class<? extends Throwable> expected = BrokerServers.onCi() ? AssertionFailedError.class : TestAbortedException.class;
        Throwable t = assertThrows(expected, () -> BrokerServers.require("Nothing", "127.0.0.1", closed, "nothing"));
        assertThat(t).hasMessageContaining("Nothing not reachable at 127.0.0.1:" + closed
                + ": start it with nothing");
        assertThrows(expected, () -> BrokerServers.requireCommand("no-such-server-binary", "apt-get install it"));
    }
}
