package dev.realtime.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
    @Test
    void aFactoryNumbersItsDaemonThreadsFromOne() {
        ThreadFactory f = DaemonThreads.factory("pool");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertThat(a.getName()).isEqualTo("pool-1");
        assertThat(b.getName()).isEqualTo("pool-2");
        assertThat(a.isDaemon() && b.isDaemon()).isTrue();
    }

    @Test
    void aNamedFactoryGivesEveryThreadThatName() {
        Thread t = DaemonThreads.named("realtime-timer-node1").newThread(() -> { });
        assertThat(t.getName()).isEqualTo("realtime-timer-node1");
        assertThat(t.isDaemon()).isTrue();
    }
}
