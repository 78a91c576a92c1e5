package dev.realtime.spring.autoconfigure;

import dev.realtime.AuthRequest;
import dev.realtime.Authenticator;
import dev.realtime.ClientEvent;
import dev.realtime.ConnectionInfo;
import dev.realtime.Member;
import dev.realtime.RealtimeListener;
import dev.realtime.User;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The application's {@link Authenticator} and {@link RealtimeListener} beans, looked up at their first use
 * rather than when the node is built: a configuration class that injects the {@code Realtime} bean may then
 * define them too (built eagerly, they would need the node to build the node).
 */
final class ApplicationBeans {
    private ApplicationBeans() {
    }

    /** An authenticator that asks {@code provider} for the application's bean at the first request. */
    static Authenticator authenticator(ObjectProvider<Authenticator> provider) {
        return new Authenticator() {
            private volatile Authenticator resolved;

            @Override
            public User authenticate(AuthRequest request) {
                Authenticator a = resolved;
                if (a == null) {
                    a = provider.getObject();
                    resolved = a;
                }
                return a.authenticate(request);
            }
        };
    }

    /** One listener that hands each event to the application's listener beans, found at the first event, in order. */
    static RealtimeListener listeners(ObjectProvider<RealtimeListener> provider) {
        return new Listeners(provider);
    }

    private static final class Listeners implements RealtimeListener {
        private final ObjectProvider<RealtimeListener> provider;
        private volatile List<RealtimeListener> resolved;

        Listeners(ObjectProvider<RealtimeListener> provider) {
            this.provider = provider;
        }

        private void each(Consumer<RealtimeListener> event) {
            List<RealtimeListener> all = resolved;
            if (all == null) {
                all = provider.orderedStream().toList();
                resolved = all;
            }
            for (RealtimeListener l : all) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    // one failing listener does not keep the event from the others
                    RealtimeNodeFactory.LOG.warn("realtime listener {} failed", l.getClass().getName(), e);
                }
            }
        }

        @Override
        public void connectionOpened(ConnectionInfo connection) {
            each(l -> l.connectionOpened(connection));
        }

        @Override
        public void connectionClosed(ConnectionInfo connection, int code, String reason) {
            each(l -> l.connectionClosed(connection, code, reason));
        }

        @Override
        public void channelOccupied(String channel) {
            each(l -> l.channelOccupied(channel));
        }

        @Override
        public void channelVacated(String channel) {
            each(l -> l.channelVacated(channel));
        }

        @Override
        public void memberAdded(String channel, Member member) {
            each(l -> l.memberAdded(channel, member));
        }

        @Override
        public void memberRemoved(String channel, Member member) {
            each(l -> l.memberRemoved(channel, member));
        }

        @Override
        public void clientEvent(ClientEvent event) {
            each(l -> l.clientEvent(event));
        }

        @Override
        public void slowConsumer(ConnectionInfo connection) {
            each(l -> l.slowConsumer(connection));
        }

        @Override
        public void error(Throwable error) {
            each(l -> l.error(error));
        }
    }
}
