package dev.realtime.internal;

import dev.realtime.Limits;
import dev.realtime.spi.TransportConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Connections of a {@link Channels} under test whose frames are kept on a {@link Wire}. */
final class WiredConnections {
    private WiredConnections() {
    }

    /** A connection's wire: every frame sent, in order. */
    static final class Wire implements TransportConnection {
        final List<String> frames = new CopyOnWriteArrayList<>();
        @Override public boolean send(String frame) { frames.add(frame); return true; }
        @Override public void close(int code, String reason) { }
        @Override public boolean isOpen() { return true; }
    }

    /** A connection of {@code channels} on {@code wire}, with an owner that ignores what it is told. */
    static Connection connect(Channels channels, Wire wire, String socketId) {
        Connection.Owner owner = new Connection.Owner() {
            @Override public void received(Connection c, String text) { }
            @Override public void slowConsumer(Connection c) { }
            @Override public void closed(Connection c, int code, String reason) { }
        };
        return new Connection(owner, channels, Limits.defaults(), wire, socketId, System.nanoTime());
    }
}
