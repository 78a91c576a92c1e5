package dev.realtime.spring.autoconfigure;

import dev.realtime.Authenticator;
import dev.realtime.Realtime;
import dev.realtime.RealtimeBuilder;
import dev.realtime.RealtimeListener;
import dev.realtime.spring.RealtimeBuilderCustomizer;
import dev.realtime.spring.SpringSecurityAuthenticator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds the starter's {@link Realtime} node from {@link RealtimeProperties} and the application's beans
 * (authenticator, authorizers, listeners, customizers), failing with a message that names the property
 * or method to change. Transports are not part of it: {@link RealtimeTransports} starts them on whichever
 * node the context holds.
 */
final class RealtimeNodeFactory {
    static final Logger LOG = LoggerFactory.getLogger("dev.realtime.spring");
    private static final String SECURITY_CONTEXT = "org.springframework.security.core.context.SecurityContextHolder";

    private RealtimeNodeFactory() {
    }

    static Realtime build(RealtimeProperties p, ObjectProvider<Authenticator> appAuthenticator,
            ObjectProvider<RealtimeListener> listeners, List<RealtimeBuilderCustomizer> customizers,
            ConfigurableListableBeanFactory beans) {
        List<String> missing = new ArrayList<>();
        if (!StringUtils.hasText(p.getAppId())) {
            missing.add("realtime.app-id");
        }
        if (!StringUtils.hasText(p.getAppKey())) {
            missing.add("realtime.app-key");
        }
        if (!StringUtils.hasText(p.getAppSecret())) {
            missing.add("realtime.app-secret");
        }
        if (!missing.isEmpty()) {
            throw new RealtimeConfigurationException("The realtime node has no app credentials: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set.",
                    "Set realtime.app-id, realtime.app-key and realtime.app-secret (application.properties or the environment: "
                            + "REALTIME_APP_ID, REALTIME_APP_KEY, REALTIME_APP_SECRET).", null);
        }
        RealtimeBuilder b = Realtime.builder().app(p.getAppId(), p.getAppKey(), p.getAppSecret());
        try {
            b.limits(p.getLimits().toLimits());
        } catch (IllegalArgumentException e) {
            throw new RealtimeConfigurationException(e.getMessage(), "Give realtime.limits.* positive values, or leave them out "
                    + "for the defaults.", e);
        }
        b.clientEvents(p.isClientEvents())
                .activityTimeout(p.getActivityTimeout())
                .pongTimeout(p.getPongTimeout())
                .cacheTtl(p.getCacheTtl())
                .heartbeatInterval(p.getHeartbeatInterval())
                .nodeTimeout(p.getNodeTimeout());
        if (StringUtils.hasText(p.getNodeId())) {
            b.nodeId(p.getNodeId());
        }
        if (StringUtils.hasText(p.getEncryptionMasterKey())) {
            b.encryptionMasterKey(p.getEncryptionMasterKey());
        }
        if (StringUtils.hasText(p.getBroker())) {
            b.broker(p.getBroker());
        }
        b.authenticator(authenticator(appAuthenticator, beans));
        List<String> authorizers;
        try {
            authorizers = ChannelAuthorizerBeans.register(beans, b);
        } catch (IllegalStateException e) {
            throw new RealtimeConfigurationException(e.getMessage(), "Fix the @RealtimeChannel method or bean: see its Javadoc "
                    + "for the parameters (User, ChannelRequest, the placeholders by name) and return types it takes.", e);
        }
        if (beans.getBeanNamesForType(RealtimeListener.class, true, false).length > 0) {
            b.listener(ApplicationBeans.listeners(listeners));
        }
        customizers.forEach(c -> c.customize(b));
        Realtime realtime;
        try {
            realtime = b.build();
        } catch (IllegalStateException e) {
            throw new RealtimeConfigurationException(e.getMessage(), "Change the realtime.* properties (or the "
                    + "@RealtimeChannel patterns, or a RealtimeBuilderCustomizer) named above; realtime.broker takes "
                    + "redis://, rediss://, amqp://, amqps:// or nats:// with its realtime-broker-* module on the class path.", e);
        }
        LOG.info("realtime node {} ready: app {} (key {}), {}, {} authorizer(s){}", realtime.nodeId(), p.getAppId(), p.getAppKey(),
                StringUtils.hasText(p.getBroker()) ? "cluster over " + redact(p.getBroker()) : "single node (no broker)",
                authorizers.size(), authorizers.isEmpty() ? "" : ": " + String.join(", ", authorizers));
        return realtime;
    }

    private static Authenticator authenticator(ObjectProvider<Authenticator> fromApp, ConfigurableListableBeanFactory beans) {
        String[] names = beans.getBeanNamesForType(Authenticator.class, true, false);
        if (names.length > 1 && Arrays.stream(names).noneMatch(n -> beans.containsBeanDefinition(n)
                && beans.getBeanDefinition(n).isPrimary())) {
            throw new RealtimeConfigurationException("The application defines " + names.length + " Authenticator beans ("
                    + String.join(", ", names) + ") and the realtime auth endpoints need one.",
                    "Keep one Authenticator bean, or mark the one the auth endpoints use with @Primary.", null);
        }
        if (names.length > 0) {
            // looked up at the first request: its configuration may inject the Realtime bean being built here
            LOG.info("realtime auth endpoints: users from the application's Authenticator bean '{}'", String.join("', '", names));
            return ApplicationBeans.authenticator(fromApp);
        }
        if (ClassUtils.isPresent(SECURITY_CONTEXT, beans.getBeanClassLoader())) {
            LOG.info("realtime auth endpoints: users from Spring Security's authenticated principal (no Authenticator bean)");
            return new SpringSecurityAuthenticator();
        }
        LOG.warn("realtime auth endpoints: no Authenticator bean and no Spring Security, so every request is anonymous and "
                + "private and presence channels are refused (401); define an Authenticator bean to sign users in");
        return Authenticator.ANONYMOUS;
    }

    /** The URI without its password, for the log. */
    static String redact(String uri) {
        return uri.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@");
    }
}
