package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.AuthRequest;
import dev.realtime.Authenticator;
import dev.realtime.ChannelAuthorizer;
import dev.realtime.Realtime;
import dev.realtime.User;
import dev.realtime.http.HttpTransport;
import dev.realtime.spi.BrokerServers;
import dev.realtime.spring.RealtimeBuilderCustomizer;
import dev.realtime.spring.RealtimeChannel;
import dev.realtime.testing.InMemoryTransport;
import dev.realtime.testing.TestClient;
import dev.realtime.websocket.JakartaWebSocketTransport;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/** What the auto-configuration builds from properties and beans, when it backs off, and how it fails. */
class RealtimeAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
            .withPropertyValues("realtime.app-id=app", "realtime.app-key=key", "realtime.app-secret=secret");

    @AfterEach
    void clearSecurityContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void fivePropertiesGiveANodeTheWebSocketEndpointTheFallbacksAndTheAuthEndpoints() {
        runner.withPropertyValues("realtime.node-id=alpha").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Realtime.class).nodeId()).isEqualTo("alpha");
            assertThat(context).hasSingleBean(JakartaWebSocketTransport.class).hasSingleBean(HttpTransport.class)
                    .hasBean("realtimeHttpTransportServlet").hasBean("realtimeAuthEndpoints")
                    .doesNotHaveBean("realtimeHttpApiServlet");
            assertThat(context.getBean(RealtimeTransports.class).names()).containsExactly("websocket", "http");
            assertThat(context.getBean(RealtimeTransports.class).isRunning()).isTrue();
            ServletRegistrationBean<?> http = context.getBean("realtimeHttpTransportServlet", ServletRegistrationBean.class);
            assertThat(http.getUrlMappings()).containsExactly("/pusher/*");
            assertThat(http.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void limitsComeFromProperties() {
        InMemoryTransport memory = new InMemoryTransport();
        runner.withPropertyValues("realtime.limits.max-channels-per-connection=1")
                .withBean(RealtimeBuilderCustomizer.class, () -> b -> b.transport(memory))
                .run(context -> {
                    try (TestClient client = memory.connect()) {
                        client.subscribe("news");
                        assertThat(client.trySubscribe("sport").toString()).contains("subscription_error").contains("at most 1 channels");
                    }
                });
    }

    @Test
    void eachTransportCanBeTurnedOffByAProperty() {
        runner.withPropertyValues("realtime.websocket.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(JakartaWebSocketTransport.class).hasSingleBean(HttpTransport.class);
            assertThat(context.getBean(RealtimeTransports.class).names()).containsExactly("http");
        });
        runner.withPropertyValues("realtime.http.streaming.enabled=false", "realtime.http.polling.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(JakartaWebSocketTransport.class).doesNotHaveBean(HttpTransport.class)
                    .doesNotHaveBean("realtimeHttpTransportServlet");
        });
        runner.withPropertyValues("realtime.auth.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean("realtimeAuthEndpoints"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAuthEndpointPathsComeFromProperties() {
        runner.withPropertyValues("realtime.auth.channel-path=/realtime/channel-auth", "realtime.auth.user-path=/realtime/sign-in")
                .run(context -> {
                    RouterFunction<ServerResponse> routes = context.getBean("realtimeAuthEndpoints", RouterFunction.class);
                    assertThat(routes.route(request("/realtime/channel-auth"))).isPresent();
                    assertThat(routes.route(request("/realtime/sign-in"))).isPresent();
                    assertThat(routes.route(request("/broadcasting/auth"))).as("the default path is not served then").isEmpty();
                });
    }

    private static ServerRequest request(String path) {
        return ServerRequest.create(new MockHttpServletRequest("POST", path), List.of());
    }

    @Test
    void thePusherHttpApiIsOffByDefaultAndOnWithAProperty() {
        runner.withPropertyValues("realtime.http-api.enabled=true").run(context -> {
            ServletRegistrationBean<?> api = context.getBean("realtimeHttpApiServlet", ServletRegistrationBean.class);
            assertThat(api.getUrlMappings()).containsExactly("/apps/*");
        });
    }

    @Test
    void anApplicationsOwnRealtimeReplacesTheStartersAndGetsItsTransports() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
                .withUserConfiguration(OwnNode.class) // no realtime.app-* properties: they are not needed then
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Realtime.class);
                    assertThat(context.getBean(Realtime.class).nodeId()).isEqualTo("own-node");
                    assertThat(context.getBean(RealtimeTransports.class).isRunning()).isTrue();
                });
    }

    @Test
    void missingCredentialsFailStartupNamingEachMissingProperty() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
                .withPropertyValues("realtime.app-id=app")
                .run(context -> {
                    RealtimeConfigurationException e = startupFailure(context);
                    assertThat(e.getMessage()).contains("realtime.app-key", "realtime.app-secret").doesNotContain("realtime.app-id,");
                    FailureAnalysis analysis = new RealtimeFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).isEqualTo(e.getMessage());
                    assertThat(analysis.getAction()).contains("REALTIME_APP_KEY");
                });
    }

    @Test
    void aBrokerUriWithoutAModuleOrSchemeFailsStartupSayingWhatItTakes() {
        runner.withPropertyValues("realtime.broker=kafka://127.0.0.1:9092").run(context ->
                assertThat(startupFailure(context).getMessage()).contains("kafka://"));
        runner.withPropertyValues("realtime.broker=127.0.0.1:6379").run(context ->
                assertThat(startupFailure(context).getMessage()).contains("no scheme"));
    }

    @Test
    void aLimitThatIsNotPositiveFailsStartupNamingTheProperty() {
        runner.withPropertyValues("realtime.limits.max-payload-bytes=0").run(context ->
                assertThat(startupFailure(context).getMessage()).contains("realtime.limits.max-payload-bytes must be positive"));
    }

    @Test
    void aRealtimeChannelMethodWithAParameterNotInThePatternFailsStartupNamingTheMethod() {
        runner.withUserConfiguration(UnknownParameter.class).run(context ->
                assertThat(startupFailure(context).getMessage())
                        .contains(UnknownParameter.class.getName() + ".room()")
                        .contains("parameter 'roomName' is not a placeholder of 'presence-room.{roomId}'"));
    }

    @Test
    void aPrivateChannelMethodThatDoesNotReturnBooleanFailsStartupNamingTheMethod() {
        runner.withUserConfiguration(WrongReturnType.class).run(context ->
                assertThat(startupFailure(context).getMessage())
                        .contains(WrongReturnType.class.getName() + ".own()")
                        .contains("returns boolean, not String"));
    }

    @Test
    void anAuthorizerBeanWhosePatternDoesNotFitItsKindFailsStartup() {
        runner.withUserConfiguration(PrivateAuthorizerOnPresencePattern.class).run(context ->
                assertThat(startupFailure(context).getMessage()).contains("bean 'roomAuthorizer'")
                        .contains("PresenceAuthorizer for a 'presence-' one"));
    }

    @Test
    void annotatedMethodsAuthorizeWithPlaceholdersConvertedToTheirType() {
        runner.withUserConfiguration(TypedRules.class).run(context -> {
            Realtime realtime = context.getBean(Realtime.class);
            User seven = User.of("7", Map.of());
            assertThat(realtime.authorizeChannel("1.2", "private-user.7", seven).status()).isEqualTo(200);
            assertThat(realtime.authorizeChannel("1.2", "private-user.8", seven).status()).isEqualTo(403);
            // not a number: no such long, denied rather than an error
            assertThat(realtime.authorizeChannel("1.2", "private-user.x7", seven).status()).isEqualTo(403);
            assertThat(realtime.authorizeChannel("1.2", "presence-room.5", seven).body()).contains("\\\"room\\\":5");
        });
    }

    @Test
    void theApplicationsAuthenticatorBeanSignsUsersIn() {
        runner.withBean(Authenticator.class, () -> request -> User.of("from-bean", Map.of())).run(context ->
                assertThat(context.getBean(Realtime.class).authenticate(REQUEST).id()).isEqualTo("from-bean"));
    }

    @Test
    void aConfigurationThatInjectsRealtimeMayDefineTheAuthenticatorListenersAndAuthorizers() {
        InMemoryTransport memory = new InMemoryTransport();
        runner.withUserConfiguration(InjectsRealtime.class)
                .withBean(RealtimeBuilderCustomizer.class, () -> b -> b.transport(memory))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Realtime realtime = context.getBean(Realtime.class);
                    assertThat(context.getBean(InjectsRealtime.class).realtime).isSameAs(realtime);
                    assertThat(realtime.authenticate(REQUEST).id()).isEqualTo("from-config");
                    assertThat(realtime.authorizeChannel("1.2", "private-own.from-config", User.of("from-config", Map.of()))
                            .status()).isEqualTo(200);
                    try (TestClient client = memory.connect()) {
                        client.subscribe("news");
                        InjectsRealtime config = context.getBean(InjectsRealtime.class);
                        for (int i = 0; i < 500 && config.occupied.isEmpty(); i++) {
                            Thread.sleep(10);
                        }
                        assertThat(config.occupied).containsExactly("news");
                    }
                });
    }

    @Test
    void twoAuthenticatorBeansWithoutAPrimaryFailStartupNamingBoth() {
        runner.withBean("first", Authenticator.class, () -> request -> null)
                .withBean("second", Authenticator.class, () -> request -> null)
                .run(context -> assertThat(startupFailure(context).getMessage()).contains("first", "second"));
        runner.withBean("first", Authenticator.class, () -> request -> null)
                .withBean("second", Authenticator.class, () -> request -> User.of("primary", Map.of()), d -> d.setPrimary(true))
                .run(context -> assertThat(context.getBean(Realtime.class).authenticate(REQUEST).id()).isEqualTo("primary"));
    }

    @Test
    void withoutAnAuthenticatorBeanUsersComeFromSpringSecurity() {
        runner.run(context -> {
            Realtime realtime = context.getBean(Realtime.class);
            assertThat(realtime.authenticate(REQUEST)).as("no authenticated principal").isNull();
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated("carol", "n/a", List.of()));
            assertThat(realtime.authenticate(REQUEST).id()).isEqualTo("carol");
        });
    }

    @Test
    void withoutSpringSecurityEveryRequestIsAnonymous() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Realtime.class).authenticate(REQUEST)).isNull();
            assertThat(context.getBean(Realtime.class).authorizeChannel("1.2", "private-x", null).status()).isEqualTo(401);
        });
    }

    @Test
    void healthIsUpOnASingleNodeWithItsCounts() {
        InMemoryTransport memory = new InMemoryTransport();
        runner.withBean(RealtimeBuilderCustomizer.class, () -> b -> b.transport(memory)).run(context -> {
            try (TestClient client = memory.connect()) {
                client.subscribe("news");
                Health health = context.getBean("realtimeHealthIndicator", HealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("broker", "none").containsEntry("connections", 1)
                        .containsEntry("channels", 1).containsEntry("subscriptions", 1L)
                        .containsEntry("transports", List.of("websocket", "http"));
            }
        });
    }

    @Test
    void healthIsDownWhileTheBrokerIsUnreachable() {
        int nothingThere = BrokerServers.freePort();
        runner.withPropertyValues("realtime.broker=redis://127.0.0.1:" + nothingThere).run(context -> {
            assertThat(context).hasNotFailed();
            Health health = context.getBean("realtimeHealthIndicator", HealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("broker", "down");
        });
    }

    @Test
    void healthIsUpWithARedisBrokerThatAnswers() {
        BrokerServers.require("Redis", "127.0.0.1", 6379, "redis-server --port 6379");
        runner.withPropertyValues("realtime.broker=redis://127.0.0.1:6379").run(context -> {
            Health health = context.getBean("realtimeHealthIndicator", HealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("broker", "up");
        });
    }

    @Test
    void gaugesCountTheNodesConnectionsChannelsAndSubscriptions() {
        InMemoryTransport memory = new InMemoryTransport();
        runner.withBean(RealtimeBuilderCustomizer.class, () -> b -> b.transport(memory)).run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean("realtimeMeterBinder", MeterBinder.class).bindTo(registry);
            try (TestClient a = memory.connect(); TestClient b = memory.connect()) {
                a.subscribe("news").subscribe("sport");
                b.subscribe("news");
                assertThat(registry.get("realtime.connections").gauge().value()).isEqualTo(2);
                assertThat(registry.get("realtime.channels").gauge().value()).isEqualTo(2);
                assertThat(registry.get("realtime.subscriptions").gauge().value()).isEqualTo(3);
                assertThat(registry.get("realtime.connections").gauge().getId().getTag("node"))
                        .isEqualTo(context.getBean(Realtime.class).nodeId());
            }
        });
    }

    @Test
    void theNodeClosesWithTheContextAndItsClientsGetTheReconnectCode() {
        InMemoryTransport memory = new InMemoryTransport();
        TestClient[] client = new TestClient[1];
        runner.withBean(RealtimeBuilderCustomizer.class, () -> b -> b.transport(memory)).run(context -> {
            client[0] = memory.connect();
            client[0].subscribe("news");
            context.getBean(Realtime.class).broadcast("news", "last", Map.of("n", 1));
        });
        assertThat(client[0].awaitClose(Duration.ofSeconds(5))).isEqualTo(4200);
        assertThat(client[0].received("news", "last")).as("the queued event went out before the close").isTrue();
    }

    private static RealtimeConfigurationException startupFailure(AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable t = context.getStartupFailure();
        while (t != null && !(t instanceof RealtimeConfigurationException)) {
            t = t.getCause();
        }
        assertThat(t).as("a RealtimeConfigurationException in %s", context.getStartupFailure()).isNotNull();
        return (RealtimeConfigurationException) t;
    }

    private static final AuthRequest REQUEST = new AuthRequest() {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }

        @Override
        public String parameter(String name) {
            return null;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    };

    @Configuration(proxyBeanMethods = false)
    static class OwnNode {
        @Bean(destroyMethod = "close")
        Realtime realtime() {
            return Realtime.builder().app("own", "own-key", "own-secret").nodeId("own-node").build();
        }
    }

    /** A configuration as applications write them: it injects the node and defines the beans the node uses. */
    @Configuration(proxyBeanMethods = false)
    static class InjectsRealtime {
        final Realtime realtime;
        final List<String> occupied = new java.util.concurrent.CopyOnWriteArrayList<>();

        InjectsRealtime(Realtime realtime) {
            this.realtime = realtime;
        }

        @Bean
        Authenticator authenticator() {
            return request -> User.of("from-config", Map.of());
        }

        @Bean
        dev.realtime.RealtimeListener occupancyListener() {
            return new dev.realtime.RealtimeListener() {
                @Override
                public void channelOccupied(String channel) {
                    occupied.add(channel);
                }
            };
        }

        @RealtimeChannel("private-own.{id}")
        boolean own(User user, String id) {
            return user.id().equals(id);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownParameter {
        @RealtimeChannel("presence-room.{roomId}")
        boolean room(User user, String roomName) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WrongReturnType {
        @RealtimeChannel("private-user.{id}")
        String own(User user, String id) {
            return "yes";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrivateAuthorizerOnPresencePattern {
        @Bean
        @RealtimeChannel("presence-room.{id}")
        ChannelAuthorizer roomAuthorizer() {
            return (user, channel) -> true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TypedRules {
        @RealtimeChannel("private-user.{userId}")
        boolean own(User user, long userId) {
            return user.id().equals(Long.toString(userId));
        }

        @RealtimeChannel("presence-room.{roomId}")
        Map<String, Object> room(User user, int roomId) {
            return Map.of("room", roomId);
        }
    }
}
