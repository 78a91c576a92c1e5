package dev.realtime.internal;

import dev.realtime.AppCredentials;
import dev.realtime.AuthResponse;
import dev.realtime.ChannelRequest;
import dev.realtime.ChannelType;
import dev.realtime.Limits;
import dev.realtime.Member;
import dev.realtime.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The auth-endpoint logic (PROTOCOL.md §3) as plain calls any web framework can make. */
final class Authorizations {
    private final AppCredentials app;
    private final Signer signer;
    private final AuthorizerRegistry authorizers;
    private final Limits limits;
    private final byte[] encryptionMasterKey;
    private final ListenerDispatcher dispatcher;

    Authorizations(EngineConfig config, Signer signer, ListenerDispatcher dispatcher) {
        this.app = config.app();
        this.signer = signer;
        this.authorizers = config.authorizers();
        this.limits = config.limits();
        this.encryptionMasterKey = config.encryptionMasterKey();
        this.dispatcher = dispatcher;
    }

    AuthResponse authorizeChannel(String socketId, String channel, User user) {
        if (!SocketIds.valid(socketId)) {
            return refuse(400, "socket_id must look like 1234.5678");
        }
        String problem = ChannelNames.problem(channel, limits.maxChannelNameLength());
        if (problem != null) {
            return refuse(400, problem);
        }
        ChannelType type = ChannelType.of(channel);
        if (!type.requiresAuth()) {
            return refuse(400, channel + " is not a private or presence channel and needs no authorization");
        }
        if (user == null) {
            return refuse(401, "not authenticated");
        }
        AuthorizerRegistry.Match match = authorizers.match(channel);
        boolean presence = type.isPresence();
        if (match == null || (presence ? match.entry().presenceAuthorizer() == null : match.entry().privateAuthorizer() == null)) {
            return refuse(403, "no authorizer matches " + channel);
        }
        ChannelRequest request = new ChannelRequest(channel, socketId, match.params());
        try {
            if (presence) {
                Member member = match.entry().presenceAuthorizer().authorize(user, request);
                if (member == null) {
                    return refuse(403, "access to " + channel + " denied");
                }
                String channelData = Json.write(channelData(member));
                return ok("{\"auth\":" + Json.quote(auth(socketId + ":" + channel + ":" + channelData))
                        + ",\"channel_data\":" + Json.quote(channelData) + "}");
            }
            if (!match.entry().privateAuthorizer().authorize(user, request)) {
                return refuse(403, "access to " + channel + " denied");
            }
        } catch (RuntimeException e) {
            dispatcher.error("authorizer for '" + match.entry().pattern() + "' threw on " + channel, e);
            return refuse(500, "authorizer failed for " + channel);
        }
        String auth = Json.quote(auth(socketId + ":" + channel));
        if (type.isEncrypted()) {
            if (encryptionMasterKey == null) {
                return refuse(500, "no encryption master key is configured for private-encrypted- channels");
            }
            return ok("{\"auth\":" + auth + ",\"shared_secret\":" + Json.quote(sharedSecret(channel)) + "}");
        }
        return ok("{\"auth\":" + auth + "}");
    }

    AuthResponse authenticateUser(String socketId, User user) {
        if (!SocketIds.valid(socketId)) {
            return refuse(400, "socket_id must look like 1234.5678");
        }
        if (user == null) {
            return refuse(401, "not authenticated");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", user.id());
        if (!user.info().isEmpty()) {
            data.put("user_info", user.info());
        }
        String userData = Json.write(data);
        return ok("{\"auth\":" + Json.quote(auth(socketId + "::user::" + userData)) + ",\"user_data\":"
                + Json.quote(userData) + "}");
    }

    private static Map<String, Object> channelData(Member member) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", member.userId());
        data.put("user_info", member.userInfo());
        return data;
    }

    private String auth(String toSign) {
        return app.key() + ":" + signer.sign(toSign);
    }

    /** Pusher's per-channel key: SHA-256(channel name bytes + master key), base64. */
    private String sharedSecret(String channel) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update(encryptionMasterKey);
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthResponse ok(String body) {
        return new AuthResponse(200, body);
    }

    private static AuthResponse refuse(int status, String error) {
        return new AuthResponse(status, "{\"error\":" + Json.quote(error) + "}");
    }
}
