package dev.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realtime.internal.Frames;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BroadcastTest extends RealtimeTestSupport {
    private final InMemoryTransport memory = new InMemoryTransport();
    private Realtime realtime;

    @BeforeEach
    void start() {
        realtime = builder(memory).build();
    }

    @AfterEach
    void close() {
        realtime.close();
    }

    @Test
    void dataIsDoubleEncodedAsPusherClientsExpect() {
        TestClient c = memory.connect().subscribe("news");
        realtime.broadcast("news", "e", Map.of("q", "say \"hi\""));
        assertThat(c.awaitEvent("news", "e").raw())
                .isEqualTo("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{\\\"q\\\":\\\"say \\\\\\\"hi\\\\\\\"\\\"}\"}");
    }

    @Test
    void stringDataIsSentAsIs() {
        TestClient c = memory.connect().subscribe("news");
        realtime.broadcast("news", "e", "{\"already\":\"json\"}");
        assertThat(c.awaitEvent("news", "e").data()).isEqualTo("{\"already\":\"json\"}");
    }

    @Test
    void severalChannelsAndOneExcludedSocket() {
        TestClient a = memory.connect().subscribe("a");
        TestClient b = memory.connect().subscribe("b");
        TestClient sender = memory.connect().subscribe("a");
        realtime.broadcast(Broadcast.to("a", "b").event("e").data(Map.of()).except(sender.socketId()));
        a.awaitEvent("a", "e");
        b.awaitEvent("b", "e");
        assertThat(sender.received("a", "e")).isFalse();
    }

    @Test
    void frameIsSerialisedOncePerChannelWhateverTheSubscriberCount() {
        AtomicInteger delivered = new AtomicInteger();
        List<InMemoryTransport.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            InMemoryTransport.Socket s = memory.connectSink(f -> delivered.incrementAndGet());
            s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"big\"}}");
            sockets.add(s);
        }
        delivered.set(0);
        long before = Frames.eventFramesBuilt();
        realtime.broadcast("big", "e", Map.of("n", 1));
        assertThat(Frames.eventFramesBuilt() - before).isEqualTo(1);
        assertThat(delivered.get()).isEqualTo(1000);
        realtime.broadcast(Broadcast.to("big", "other").event("e").data(Map.of("n", 2)));
        assertThat(Frames.eventFramesBuilt() - before).isEqualTo(3);
    }

    @Test
    void sendReachesOneConnectionWithoutAChannel() {
        TestClient a = memory.connect();
        TestClient b = memory.connect();
        assertThat(realtime.send(a.socketId(), "direct", Map.of("x", 1))).isTrue();
        assertThat(a.awaitEvent(null, "direct").dataMap()).containsEntry("x", 1);
        assertThat(b.received(null, "direct")).isFalse();
        assertThat(realtime.send("1.1", "direct", "x")).isFalse();
    }

    @Test
    void invalidBroadcastsFailWithAClearMessage() {
        assertThatThrownBy(() -> realtime.broadcast("bad name", "e", "x")).isInstanceOf(RealtimeException.class)
                .hasMessageContaining("channel name contains ' '");
        assertThatThrownBy(() -> realtime.broadcast("news", "", "x")).hasMessageContaining("event name is missing");
        assertThatThrownBy(() -> realtime.broadcast("news", "pusher:x", "x")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> realtime.broadcast("#server-to-user-1", "e", "x")).hasMessageContaining("sendToUser");
        assertThatThrownBy(() -> realtime.broadcast("news", "e", "x".repeat(10 * 1024 + 1)))
                .hasMessageContaining("larger than 10240 bytes");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("c" + i);
        }
        assertThatThrownBy(() -> realtime.broadcast(Broadcast.to(many).event("e").data("x")))
                .hasMessageContaining("1 to 100 channels");
        assertThatThrownBy(() -> realtime.broadcast("news", "e", new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                throw new IllegalStateException("boom");
            }
        })).hasMessageContaining("cannot serialise");
    }

    @Test
    void channelInfoAndListing() {
        memory.connect(ALICE).subscribe("news").subscribe("presence-room");
        memory.connect(BOB).subscribe("news").subscribe("presence-room");
        assertThat(realtime.channel("news")).isEqualTo(new ChannelInfo("news", true, 2, 0));
        assertThat(realtime.channel("presence-room").userCount()).isEqualTo(2);
        assertThat(realtime.channel("empty").occupied()).isFalse();
        assertThat(realtime.channels("")).containsOnlyKeys("news", "presence-room");
        assertThat(realtime.channels("presence-")).containsOnlyKeys("presence-room");
    }
}
