package dev.realtime.internal;

import dev.realtime.AppCredentials;
import dev.realtime.Authenticator;
import dev.realtime.Limits;
import dev.realtime.RealtimeListener;
import dev.realtime.spi.Broker;
import java.time.Duration;
import java.util.List;

/** The validated settings of one node. */
public record EngineConfig(AppCredentials app, Authenticator authenticator, AuthorizerRegistry authorizers,
                           List<RealtimeListener> listeners, Limits limits, Broker broker, String nodeId,
                           boolean clientEvents, Duration activityTimeout, Duration pongTimeout, Duration cacheTtl,
                           byte[] encryptionMasterKey, Duration heartbeatInterval, Duration nodeTimeout) {
}
