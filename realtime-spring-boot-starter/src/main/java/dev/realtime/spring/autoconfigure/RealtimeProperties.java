package dev.realtime.spring.autoconfigure;

import dev.realtime.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code realtime.*} properties the starter builds the node and its endpoints from. The defaults are
 * written out (so the generated metadata shows them) and equal the library's own {@code DEFAULT_*}
 * constants, which {@code RealtimePropertiesTest} holds them to.
 */
@ConfigurationProperties("realtime")
public class RealtimeProperties {
    /** The app id (Pusher's app_id): the HTTP API's /apps/{id}. Required. */
    private String appId;
    /** The app key clients connect with (/app/{key}, pusher-js's first argument). Required. */
    private String appKey;
    /** The app secret that signs channel auth and HTTP API requests. Required; keep it out of the browser. */
    private String appSecret;
    /** This node's name in a cluster; default a random one. */
    private String nodeId;
    /** The broker that links the nodes: redis://host:6379, amqp://user:pass@host:5672 or nats://host:4222 (needs its realtime-broker-* module); default none, a single node. */
    private String broker;
    /** Whether clients may send client- events on private and presence channels (Echo's whisper). */
    private boolean clientEvents = true;
    /** Silence after which the server pings a connection; also sent to clients as activity_timeout. */
    private Duration activityTimeout = Duration.ofSeconds(30);
    /** How long a pinged connection has to answer before it is closed with 4201. */
    private Duration pongTimeout = Duration.ofSeconds(30);
    /** How long cache- channels keep their last event. */
    private Duration cacheTtl = Duration.ofMinutes(30);
    /** How often this node tells the other nodes it is alive (a cluster only). */
    private Duration heartbeatInterval = Duration.ofSeconds(2);
    /** Silence after which another node is declared down and its members removed (a cluster only). */
    private Duration nodeTimeout = Duration.ofSeconds(6);
    /** The base64 32-byte master key of private-encrypted- channels; default none (they are refused). */
    private String encryptionMasterKey;
    /** How long the application's stop waits for clients to take their last frames and the close (4200) before the web server stops. */
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    /** Origins allowed to open WebSocket and HTTP-transport connections, e.g. https://app.example.com; default every origin. */
    private List<String> allowedOrigins = new ArrayList<>();

    private final LimitsProperties limits = new LimitsProperties();
    private final WebSocket websocket = new WebSocket();
    private final Http http = new Http();
    private final Auth auth = new Auth();
    private final HttpApi httpApi = new HttpApi();

    /** Every limit the node enforces (README, "Limits and errors"). */
    public static class LimitsProperties {
        /** Max bytes of one event's data: client events, broadcasts, HTTP API events. */
        private int maxPayloadBytes = 10240;
        /** Max bytes of one inbound frame; larger WebSocket messages are closed with 1009. */
        private int maxMessageBytes = 65536;
        /** Max channel name length. */
        private int maxChannelNameLength = 200;
        /** Max event name length. */
        private int maxEventNameLength = 200;
        /** Max channels one connection may be subscribed to at once. */
        private int maxChannelsPerConnection = 100;
        /** Client events one connection may send per second. */
        private int clientEventsPerSecond = 10;
        /** Max distinct members of one presence channel. */
        private int maxPresenceMembers = 100;
        /** Max bytes of a presence member's user_info. */
        private int maxUserInfoBytes = 1024;
        /** Max length of a user id. */
        private int maxUserIdLength = 128;
        /** Max connections signed in as one user. */
        private int maxConnectionsPerUser = 50;
        /** Max connections from one remote address; unlimited by default (proxies and NAT share addresses). */
        private int maxConnectionsPerIp = 2147483647;
        /** Max channels one broadcast may name. */
        private int maxBroadcastChannels = 100;
        /** Max events in one HTTP API batch. */
        private int maxBatchEvents = 10;
        /** Frames waiting for one connection before it counts as a slow consumer and is closed with 4100. */
        private int outboundQueueFrames = 1000;
        /** Inbound frames one connection may send per second; past it frames are dropped and the sender told (4301). */
        private int inboundMessagesPerSecond = 200;

        /** The limits; fails naming the property when one is not positive. */
        Limits toLimits() {
            return Limits.builder()
                    .maxPayloadBytes(check("max-payload-bytes", maxPayloadBytes))
                    .maxMessageBytes(check("max-message-bytes", maxMessageBytes))
                    .maxChannelNameLength(check("max-channel-name-length", maxChannelNameLength))
                    .maxEventNameLength(check("max-event-name-length", maxEventNameLength))
                    .maxChannelsPerConnection(check("max-channels-per-connection", maxChannelsPerConnection))
                    .clientEventsPerSecond(check("client-events-per-second", clientEventsPerSecond))
                    .maxPresenceMembers(check("max-presence-members", maxPresenceMembers))
                    .maxUserInfoBytes(check("max-user-info-bytes", maxUserInfoBytes))
                    .maxUserIdLength(check("max-user-id-length", maxUserIdLength))
                    .maxConnectionsPerUser(check("max-connections-per-user", maxConnectionsPerUser))
                    .maxConnectionsPerIp(check("max-connections-per-ip", maxConnectionsPerIp))
                    .maxBroadcastChannels(check("max-broadcast-channels", maxBroadcastChannels))
                    .maxBatchEvents(check("max-batch-events", maxBatchEvents))
                    .outboundQueueFrames(check("outbound-queue-frames", outboundQueueFrames))
                    .inboundMessagesPerSecond(check("inbound-messages-per-second", inboundMessagesPerSecond))
                    .build();
        }

        private static int check(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("realtime.limits." + name + " must be positive, got " + value);
            }
            return value;
        }

        public int getMaxPayloadBytes() { return maxPayloadBytes; }
        public void setMaxPayloadBytes(int v) { maxPayloadBytes = v; }
        public int getMaxMessageBytes() { return maxMessageBytes; }
        public void setMaxMessageBytes(int v) { maxMessageBytes = v; }
        public int getMaxChannelNameLength() { return maxChannelNameLength; }
        public void setMaxChannelNameLength(int v) { maxChannelNameLength = v; }
        public int getMaxEventNameLength() { return maxEventNameLength; }
        public void setMaxEventNameLength(int v) { maxEventNameLength = v; }
        public int getMaxChannelsPerConnection() { return maxChannelsPerConnection; }
        public void setMaxChannelsPerConnection(int v) { maxChannelsPerConnection = v; }
        public int getClientEventsPerSecond() { return clientEventsPerSecond; }
        public void setClientEventsPerSecond(int v) { clientEventsPerSecond = v; }
        public int getMaxPresenceMembers() { return maxPresenceMembers; }
        public void setMaxPresenceMembers(int v) { maxPresenceMembers = v; }
        public int getMaxUserInfoBytes() { return maxUserInfoBytes; }
        public void setMaxUserInfoBytes(int v) { maxUserInfoBytes = v; }
        public int getMaxUserIdLength() { return maxUserIdLength; }
        public void setMaxUserIdLength(int v) { maxUserIdLength = v; }
        public int getMaxConnectionsPerUser() { return maxConnectionsPerUser; }
        public void setMaxConnectionsPerUser(int v) { maxConnectionsPerUser = v; }
        public int getMaxConnectionsPerIp() { return maxConnectionsPerIp; }
        public void setMaxConnectionsPerIp(int v) { maxConnectionsPerIp = v; }
        public int getMaxBroadcastChannels() { return maxBroadcastChannels; }
        public void setMaxBroadcastChannels(int v) { maxBroadcastChannels = v; }
        public int getMaxBatchEvents() { return maxBatchEvents; }
        public void setMaxBatchEvents(int v) { maxBatchEvents = v; }
        public int getOutboundQueueFrames() { return outboundQueueFrames; }
        public void setOutboundQueueFrames(int v) { outboundQueueFrames = v; }
        public int getInboundMessagesPerSecond() { return inboundMessagesPerSecond; }
        public void setInboundMessagesPerSecond(int v) { inboundMessagesPerSecond = v; }
    }

    /** The WebSocket endpoint /app/{key} in the servlet container. */
    public static class WebSocket {
        /** Whether to serve the WebSocket endpoint (needs the container's Jakarta WebSocket support, as Tomcat's). */
        private boolean enabled = true;
        /** Silence after which the container drops a WebSocket; default the activity timeout + pong timeout + 60 s. */
        private Duration idleTimeout;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public Duration getIdleTimeout() { return idleTimeout; }
        public void setIdleTimeout(Duration idleTimeout) { this.idleTimeout = idleTimeout; }
    }

    /** pusher-js's HTTP fallbacks and the text/event-stream and JSON long-poll, one servlet under path. */
    public static class Http {
        /** The servlet's path: pusher-js builds its fallback URLs from httpPath, '/pusher' by default. */
        private String path = "/pusher";
        /** Open HTTP sessions at most, over all clients; more get 503. */
        private int maxSessions = 10000;
        /** Open HTTP sessions at most from one address; more get 429. */
        private int maxSessionsPerIp = 100;
        /** The longest an open stream goes without a byte (a heartbeat is written then). */
        private Duration heartbeatInterval = Duration.ofSeconds(25);
        /** How long a poll is held when there is nothing to send. */
        private Duration pollTimeout = Duration.ofSeconds(25);
        /** How long a session may go without a request before it is closed; default the activity timeout. */
        private Duration sessionTimeout;
        private final Toggle streaming = new Toggle();
        private final Toggle polling = new Toggle();

        public String getPath() { return path; }
        public void setPath(String path) { this.path = path; }
        public int getMaxSessions() { return maxSessions; }
        public void setMaxSessions(int v) { maxSessions = v; }
        public int getMaxSessionsPerIp() { return maxSessionsPerIp; }
        public void setMaxSessionsPerIp(int v) { maxSessionsPerIp = v; }
        public Duration getHeartbeatInterval() { return heartbeatInterval; }
        public void setHeartbeatInterval(Duration v) { heartbeatInterval = v; }
        public Duration getPollTimeout() { return pollTimeout; }
        public void setPollTimeout(Duration v) { pollTimeout = v; }
        public Duration getSessionTimeout() { return sessionTimeout; }
        public void setSessionTimeout(Duration v) { sessionTimeout = v; }
        /** pusher-js's xhr_streaming and the text/event-stream for EventSource. */
        public Toggle getStreaming() { return streaming; }
        /** pusher-js's xhr_polling and the JSON long-poll. */
        public Toggle getPolling() { return polling; }
    }

    /** A part that is on unless turned off. */
    public static class Toggle {
        /** Whether to serve this fallback (described per property in additional-spring-configuration-metadata.json). */
        private boolean enabled = true;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
    }

    /** The auth endpoints pusher-js and laravel-echo call, served as the application's own (Spring MVC) endpoints. */
    public static class Auth {
        /** Whether to serve the auth endpoints (off: the application serves its own, calling Realtime.authorizeChannel). */
        private boolean enabled = true;
        /** Channel authorization (pusher-js channelAuthorization.endpoint, Echo authEndpoint). */
        private String channelPath = "/broadcasting/auth";
        /** User sign-in (pusher-js userAuthentication.endpoint, for pusher.signin() and sendToUser). */
        private String userPath = "/broadcasting/user-auth";
        /** Larger request bodies get 413 (pusher-js sends about 100 bytes). */
        private int maxBodyBytes = 16384;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getChannelPath() { return channelPath; }
        public void setChannelPath(String v) { channelPath = v; }
        public String getUserPath() { return userPath; }
        public void setUserPath(String v) { userPath = v; }
        public int getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(int v) { maxBodyBytes = v; }
    }

    /** The Pusher HTTP API /apps/{id}/… for Pusher server SDKs; off by default (the application publishes in-process). */
    public static class HttpApi {
        /** Whether to serve the Pusher HTTP API under /apps/ (for Pusher server SDKs in other processes). */
        private boolean enabled = false;
        /** Larger request bodies get 413. */
        private int maxBodyBytes = 262144;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public int getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(int v) { maxBodyBytes = v; }
    }

    public String getAppId() { return appId; }
    public void setAppId(String appId) { this.appId = appId; }
    public String getAppKey() { return appKey; }
    public void setAppKey(String appKey) { this.appKey = appKey; }
    public String getAppSecret() { return appSecret; }
    public void setAppSecret(String appSecret) { this.appSecret = appSecret; }
    public String getNodeId() { return nodeId; }
    public void setNodeId(String nodeId) { this.nodeId = nodeId; }
    public String getBroker() { return broker; }
    public void setBroker(String broker) { this.broker = broker; }
    public boolean isClientEvents() { return clientEvents; }
    public void setClientEvents(boolean clientEvents) { this.clientEvents = clientEvents; }
    public Duration getActivityTimeout() { return activityTimeout; }
    public void setActivityTimeout(Duration v) { activityTimeout = v; }
    public Duration getPongTimeout() { return pongTimeout; }
    public void setPongTimeout(Duration v) { pongTimeout = v; }
    public Duration getCacheTtl() { return cacheTtl; }
    public void setCacheTtl(Duration v) { cacheTtl = v; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration v) { heartbeatInterval = v; }
    public Duration getNodeTimeout() { return nodeTimeout; }
    public void setNodeTimeout(Duration v) { nodeTimeout = v; }
    public String getEncryptionMasterKey() { return encryptionMasterKey; }
    public void setEncryptionMasterKey(String v) { encryptionMasterKey = v; }
    public Duration getShutdownTimeout() { return shutdownTimeout; }
    public void setShutdownTimeout(Duration v) { shutdownTimeout = v; }
    public List<String> getAllowedOrigins() { return allowedOrigins; }
    public void setAllowedOrigins(List<String> v) { allowedOrigins = v; }
    public LimitsProperties getLimits() { return limits; }
    public WebSocket getWebsocket() { return websocket; }
    public Http getHttp() { return http; }
    public Auth getAuth() { return auth; }
    public HttpApi getHttpApi() { return httpApi; }
}
