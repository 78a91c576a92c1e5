package dev.realtime.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.bench.ws.EngineIo.Packet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineIoTest {
    @Test
    void classifiesTheHandshakeAndTraffic() {
        assertThat(EngineIo.classify("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"))
                .isEqualTo(Packet.OPEN);
        assertThat(EngineIo.classify("40{\"sid\":\"def\"}")).isEqualTo(Packet.CONNECTED);
        assertThat(EngineIo.classify("40")).isEqualTo(Packet.CONNECTED);
        assertThat(EngineIo.classify("2")).isEqualTo(Packet.PING);
        assertThat(EngineIo.classify("42[\"tick\",\"{\\\"t\\\":1}\"]")).isEqualTo(Packet.EVENT);
        assertThat(EngineIo.classify("44{\"message\":\"not allowed\"}")).isEqualTo(Packet.CONNECT_ERROR);
        assertThat(EngineIo.classify("1")).isEqualTo(Packet.CLOSE);
    }

    @Test
    void aTwoWithMoreIsNotAPing() {
        // "2probe" is the upgrade probe of a polling client: answering it with "3" would be wrong
        assertThat(EngineIo.classify("2probe")).isEqualTo(Packet.OTHER);
        assertThat(EngineIo.classify("")).isEqualTo(Packet.OTHER);
        assertThat(EngineIo.classify("6")).isEqualTo(Packet.OTHER);
    }

    @Test
    void eventNames() {
        assertThat(EngineIo.eventName("42[\"subscribed\",\"bench\"]")).isEqualTo("subscribed");
        assertThat(EngineIo.eventName("42[\"tick\",{}]")).isEqualTo("tick");
        assertThat(EngineIo.eventName("40{\"sid\":\"x\"}")).isNull();
        assertThat(EngineIo.eventName("42[")).isNull();
    }

    @Test
    void theSubscribePacket() {
        assertThat(new String(EngineIo.event("subscribe", "bench-7"), StandardCharsets.UTF_8)).isEqualTo("42[\"subscribe\",\"bench-7\"]");
    }
}
