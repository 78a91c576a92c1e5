package dev.realtime.spring.autoconfigure;

import dev.realtime.Authenticator;
import dev.realtime.Realtime;
import dev.realtime.RealtimeListener;
import dev.realtime.http.HttpMode;
import dev.realtime.http.HttpTransport;
import dev.realtime.longpoll.LongPolling;
import dev.realtime.spi.Transport;
import dev.realtime.spring.RealtimeBuilderCustomizer;
import dev.realtime.sse.Sse;
import dev.realtime.websocket.JakartaWebSocketTransport;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Realtime in a Spring Boot application: a {@link Realtime} node from {@code realtime.*} properties (unless
 * the application defines its own), and in a servlet web application the WebSocket endpoint
 * {@code /app/{key}}, pusher-js's HTTP fallbacks under {@code /pusher/*}, the auth endpoints
 * ({@code /broadcasting/auth}, {@code /broadcasting/user-auth}) and, when turned on, the Pusher HTTP API;
 * Actuator health and Micrometer gauges when those are present. The node closes first when the
 * application stops (clients get 4200 after their queued frames).
 */
@AutoConfiguration
@ConditionalOnClass(Realtime.class)
@EnableConfigurationProperties(RealtimeProperties.class)
public class RealtimeAutoConfiguration {

    /** The node, with the application's Authenticator, @RealtimeChannel authorizers, listeners and customizers. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Realtime realtime(RealtimeProperties properties, ObjectProvider<Authenticator> authenticator,
            ObjectProvider<RealtimeListener> listeners, ObjectProvider<RealtimeBuilderCustomizer> customizers,
            ConfigurableListableBeanFactory beans) {
        return RealtimeNodeFactory.build(properties, authenticator, listeners, customizers.orderedStream().toList(), beans);
    }

    @Bean
    RealtimeShutdown realtimeShutdown(Realtime realtime, RealtimeProperties properties,
            ObjectProvider<JakartaWebSocketTransport> websocket, ObjectProvider<HttpTransport> http) {
        return new RealtimeShutdown(realtime, () -> {
            JakartaWebSocketTransport ws = websocket.getIfAvailable();
            HttpTransport h = http.getIfAvailable();
            return (ws == null ? 0 : ws.connectionCount()) + (h == null ? 0 : h.sessionCount());
        }, properties.getShutdownTimeout());
    }

    /** The endpoints in the servlet container. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Web {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = "realtime.websocket.enabled", matchIfMissing = true)
        JakartaWebSocketTransport realtimeWebSocketTransport(RealtimeProperties properties) {
            JakartaWebSocketTransport.Builder b = JakartaWebSocketTransport.builder()
                    .allowedOrigins(properties.getAllowedOrigins())
                    .maxMessageBytes(properties.getLimits().getMaxMessageBytes());
            if (properties.getWebsocket().getIdleTimeout() != null) {
                b.idleTimeout(properties.getWebsocket().getIdleTimeout());
            }
            return b.build();
        }

        @Bean
        @ConditionalOnBean(JakartaWebSocketTransport.class)
        static WebSocketEndpointRegistrar realtimeWebSocketEndpoint(JakartaWebSocketTransport transport) {
            return new WebSocketEndpointRegistrar(transport);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnExpression("${realtime.http.streaming.enabled:true} or ${realtime.http.polling.enabled:true}")
        HttpTransport realtimeHttpTransport(RealtimeProperties properties) {
            RealtimeProperties.Http http = properties.getHttp();
            List<HttpMode> modes = new ArrayList<>();
            if (http.getStreaming().isEnabled()) {
                modes.add(Sse.xhrStreaming());
                modes.add(Sse.eventSource());
            }
            if (http.getPolling().isEnabled()) {
                modes.add(LongPolling.xhrPolling());
                modes.add(LongPolling.json());
            }
            HttpTransport.Builder b = HttpTransport.builder().modes(modes.toArray(HttpMode[]::new))
                    .path(http.getPath())
                    .maxSessions(http.getMaxSessions())
                    .maxSessionsPerIp(http.getMaxSessionsPerIp())
                    .heartbeatInterval(http.getHeartbeatInterval())
                    .pollTimeout(http.getPollTimeout())
                    .allowedOrigins(properties.getAllowedOrigins());
            if (http.getSessionTimeout() != null) {
                b.sessionTimeout(http.getSessionTimeout());
            }
            return b.build();
        }

        @Bean
        @ConditionalOnBean(HttpTransport.class)
        ServletRegistrationBean<jakarta.servlet.http.HttpServlet> realtimeHttpTransportServlet(HttpTransport transport,
                RealtimeProperties properties) {
            String path = properties.getHttp().getPath();
            ServletRegistrationBean<jakarta.servlet.http.HttpServlet> registration =
                    new ServletRegistrationBean<>(dev.realtime.http.HttpTransportServlet.of(transport), path + "/*");
            registration.setName("realtimeHttpTransport");
            registration.setAsyncSupported(true);
            return registration;
        }

        @Bean
        RealtimeTransports realtimeTransports(Realtime realtime, ObjectProvider<JakartaWebSocketTransport> websocket,
                ObjectProvider<HttpTransport> http) {
            List<Transport> transports = new ArrayList<>();
            websocket.ifAvailable(transports::add);
            http.ifAvailable(transports::add);
            return new RealtimeTransports(realtime, transports);
        }

        @Bean
        @ConditionalOnBooleanProperty(name = "realtime.auth.enabled", matchIfMissing = true)
        RouterFunction<ServerResponse> realtimeAuthEndpoints(Realtime realtime, RealtimeProperties properties) {
            RealtimeProperties.Auth auth = properties.getAuth();
            AuthEndpointHandler handler = new AuthEndpointHandler(realtime, auth.getMaxBodyBytes());
            return RouterFunctions.route(RequestPredicates.path(auth.getChannelPath()), handler::channel)
                    .andRoute(RequestPredicates.path(auth.getUserPath()), handler::user);
        }

        @Bean
        @ConditionalOnBooleanProperty(name = "realtime.http-api.enabled")
        ServletRegistrationBean<PusherHttpApiServlet> realtimeHttpApiServlet(Realtime realtime, RealtimeProperties properties) {
            ServletRegistrationBean<PusherHttpApiServlet> registration = new ServletRegistrationBean<>(
                    new PusherHttpApiServlet(realtime, properties.getHttpApi().getMaxBodyBytes()), "/apps/*");
            registration.setName("realtimeHttpApi");
            return registration;
        }
    }

    /** Actuator's {@code realtime} health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("realtime")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "realtimeHealthIndicator")
        HealthIndicator realtimeHealthIndicator(Realtime realtime, ObjectProvider<RealtimeTransports> transports) {
            return new RealtimeHealthIndicator(realtime, transports.getIfAvailable());
        }
    }

    /** The node's counts as Micrometer gauges. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(name = "realtimeMeterBinder")
        io.micrometer.core.instrument.binder.MeterBinder realtimeMeterBinder(Realtime realtime) {
            return new RealtimeMeterBinder(realtime);
        }
    }
}
