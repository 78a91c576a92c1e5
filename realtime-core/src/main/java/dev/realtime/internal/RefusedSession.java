package dev.realtime.internal;

import dev.realtime.spi.Session;

/** The session handed out for a refused connection: it ignores everything. */
enum RefusedSession implements Session {
    INSTANCE;

    @Override public String socketId() { return null; }
    @Override public void receive(String text) { }
    @Override public void activity() { }
    @Override public void closed(int code, String reason) { }
}
