package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.ReceivedFrame;
import dev.realtime.testing.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private Realtime realtime;

    @AfterEach
    void close() {
        if (realtime != null) {
            realtime.close();
        }
    }

    @Test
    void connectionEstablishedCarriesSocketIdAndActivityTimeout() {
        realtime = builder(memory).activityTimeout(Duration.ofSeconds(45)).build();
        TestClient c = memory.connect();
        ReceivedFrame established = c.awaitEvent(null, "pusher:connection_established");
        assertThat(established.dataMap()).containsEntry("activity_timeout", 45);
        assertThat((String) established.dataMap().get("socket_id")).matches("^\\d+\\.\\d+$").isEqualTo(c.socketId());
        assertThat(memory.connect().socketId()).isNotEqualTo(c.socketId());
        assertThat(realtime.connectionCount()).isEqualTo(2);
    }

    @Test
    void unknownAppKeyGetsErrorThenClose4001() {
        realtime = builder(memory).build();
        TestClient c = memory.connect(null, "wrong-key", "7", null);
        assertThat(c.awaitError().errorCode()).isEqualTo(4001);
        assertThat(c.closeCode()).isEqualTo(4001);
        assertThat(c.socketId()).isNull();
        assertThat(realtime.connectionCount()).isZero();
    }

    @Test
    void missingProtocolIs4008AndUnsupportedIs4007() {
        realtime = builder(memory).build();
        TestClient none = memory.connect(null, KEY, null, null);
        assertThat(none.awaitError().errorCode()).isEqualTo(4008);
        assertThat(none.closeCode()).isEqualTo(4008);
        TestClient old = memory.connect(null, KEY, "4", null);
        assertThat(old.closeCode()).isEqualTo(4007);
        TestClient garbage = memory.connect(null, KEY, "seven", null);
        assertThat(garbage.closeCode()).isEqualTo(4007);
        TestClient javaClient = memory.connect(null, KEY, "5", null);
        assertThat(javaClient.isOpen()).isTrue();
    }

    @Test
    void connectionsPerAddressAreLimited() {
        realtime = builder(memory).limits(Limits.builder().maxConnectionsPerIp(2).build()).build();
        memory.connect(null, KEY, "7", "10.0.0.1");
        TestClient second = memory.connect(null, KEY, "7", "10.0.0.1");
        TestClient third = memory.connect(null, KEY, "7", "10.0.0.1");
        assertThat(third.closeCode()).isEqualTo(4100);
        assertThat(memory.connect(null, KEY, "7", "10.0.0.2").isOpen()).isTrue();
        second.close();
        assertThat(memory.connect(null, KEY, "7", "10.0.0.1").isOpen()).as("a freed slot is reusable").isTrue();
    }

    @Test
    void pingIsAnsweredWithPong() {
        realtime = builder(memory).build();
        TestClient c = memory.connect();
        c.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(c.awaitEvent(null, "pusher:pong").raw()).isEqualTo("{\"event\":\"pusher:pong\",\"data\":\"{}\"}");
        c.send("{\"event\":\"pusher:ping\"}");
        c.awaitEvent(null, "pusher:pong");
    }

    @Test
    void silentConnectionIsPingedAndKeptWhenItAnswers() {
        realtime = builder(memory).activityTimeout(Duration.ofSeconds(1)).pongTimeout(Duration.ofMillis(400)).build();
        TestClient c = memory.connect();
        c.awaitEvent(null, "pusher:ping", Duration.ofSeconds(5));
        c.awaitEvent(null, "pusher:ping", Duration.ofSeconds(5));
        assertThat(c.isOpen()).as("answered pings keep the connection").isTrue();
    }

    @Test
    void connectionThatNeverAnswersIsClosedWith4201() {
        realtime = builder(memory).activityTimeout(Duration.ofSeconds(1)).pongTimeout(Duration.ofMillis(300)).build();
        TestClient c = memory.connect().autoPong(false);
        c.awaitEvent(null, "pusher:ping", Duration.ofSeconds(5));
        assertThat(c.awaitClose(Duration.ofSeconds(5))).isEqualTo(4201);
        assertThat(realtime.connectionCount()).isZero();
    }

    @Test
    void transportAddedAfterBuildServesConnectionsAndCannotBeAddedTwice() {
        realtime = Realtime.builder().app(APP_ID, KEY, SECRET).build();
        InMemoryTransport late = new InMemoryTransport();
        realtime.addTransport(late);
        late.connect().subscribe("news");
        assertThat(realtime.channel("news").occupied()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> realtime.addTransport(late))
                .hasMessageContaining("already started");
        realtime.removeTransport(late);
        realtime.removeTransport(late);
        realtime.addTransport(late);
        assertThat(late.connect().isOpen()).as("a removed transport can be started again").isTrue();
    }

    @Test
    void closeClosesEveryConnectionSoClientsReconnect() {
        realtime = builder(memory).build();
        TestClient c = memory.connect();
        realtime.close();
        assertThat(c.closeCode()).isBetween(4200, 4299);
        realtime.close();
    }
}
