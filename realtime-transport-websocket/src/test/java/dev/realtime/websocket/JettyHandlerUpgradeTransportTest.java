package dev.realtime.websocket;

/**
 * The transport contract with every upgrade through Jetty's HTTP handling and
 * {@link JettyUpgradeHandler} (no connection factory in front): what an application that mounts only
 * {@link JettyWebSocketTransport#createHandler} gets, and what the short path hands on to.
 */
class JettyHandlerUpgradeTransportTest extends JettyCoreTransportTest {
    @Override
    protected boolean shortUpgrades() {
        return false;
    }
}
