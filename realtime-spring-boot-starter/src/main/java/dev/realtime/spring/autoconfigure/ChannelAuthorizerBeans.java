package dev.realtime.spring.autoconfigure;

import dev.realtime.ChannelAuthorizer;
import dev.realtime.PresenceAuthorizer;
import dev.realtime.RealtimeBuilder;
import dev.realtime.spring.RealtimeChannel;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the application's authorizers: {@code @RealtimeChannel} methods of any bean, and
 * {@link ChannelAuthorizer} / {@link PresenceAuthorizer} beans whose class or {@code @Bean} method carries
 * the annotation. Each is registered on the builder by its pattern; the bean itself is fetched at the
 * first authorization, so an authorizer bean may depend on the {@code Realtime} bean.
 */
final class ChannelAuthorizerBeans {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelAuthorizerBeans.class);

    private ChannelAuthorizerBeans() {
    }

    /** Registers every authorizer found in {@code beans} on {@code builder}; returns what was registered, for the log. */
    static List<String> register(ConfigurableListableBeanFactory beans, RealtimeBuilder builder) {
        List<String> registered = new ArrayList<>();
        for (String name : beans.getBeanDefinitionNames()) {
            if (name.startsWith("scopedTarget.") || isInfrastructure(beans, name)) {
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            if (ChannelAuthorizer.class.isAssignableFrom(userClass) || PresenceAuthorizer.class.isAssignableFrom(userClass)) {
                registerAuthorizerBean(beans, builder, name, userClass, registered);
            }
            Map<Method, RealtimeChannel> methods = MethodIntrospector.selectMethods(userClass,
                    (MethodIntrospector.MetadataLookup<RealtimeChannel>) m ->
                            AnnotatedElementUtils.hasAnnotation(m, Bean.class) ? null
                                    : AnnotatedElementUtils.findMergedAnnotation(m, RealtimeChannel.class));
            for (Map.Entry<Method, RealtimeChannel> e : methods.entrySet()) {
                ChannelMethod method = ChannelMethod.of(e.getValue().value(), e.getKey(), () -> beans.getBean(name));
                if (method.presence()) {
                    builder.presence(method.pattern(), method::member);
                } else {
                    builder.authorize(method.pattern(), method::allows);
                }
                registered.add(method.toString());
            }
        }
        return registered;
    }

    private static void registerAuthorizerBean(ConfigurableListableBeanFactory beans, RealtimeBuilder builder, String name,
            Class<?> type, List<String> registered) {
        RealtimeChannel pattern = beans.findAnnotationOnBean(name, RealtimeChannel.class, false);
        if (pattern == null) {
            LOG.warn("{} bean '{}' has no @RealtimeChannel pattern, so it is not registered: annotate its class or @Bean "
                    + "method with @RealtimeChannel(\"private-…\"), or register it in a RealtimeBuilderCustomizer",
                    ChannelAuthorizer.class.isAssignableFrom(type) ? "ChannelAuthorizer" : "PresenceAuthorizer", name);
            return;
        }
        String p = pattern.value();
        if (p.startsWith("presence-") && PresenceAuthorizer.class.isAssignableFrom(type)) {
            builder.presence(p, (user, channel) -> beans.getBean(name, PresenceAuthorizer.class).authorize(user, channel));
        } else if (p.startsWith("private-") && ChannelAuthorizer.class.isAssignableFrom(type)) {
            builder.authorize(p, (user, channel) -> beans.getBean(name, ChannelAuthorizer.class).authorize(user, channel));
        } else {
            throw new IllegalStateException("bean '" + name + "' (" + type.getName() + "): @RealtimeChannel(\"" + p
                    + "\") needs a ChannelAuthorizer for a 'private-' pattern or a PresenceAuthorizer for a 'presence-' one");
        }
        registered.add("bean '" + name + "' for '" + p + "'");
    }

    private static boolean isInfrastructure(ConfigurableListableBeanFactory beans, String name) {
        return beans.containsBeanDefinition(name)
                && beans.getBeanDefinition(name).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE;
    }
}
