package dev.realtime.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a {@link Broker} from a URI, so that a broker can be chosen by configuration
 * ({@code --broker redis://…} in the standalone server, {@code RealtimeBuilder.broker(String)}).
 * Each broker module registers one in {@code META-INF/services/dev.realtime.spi.BrokerProvider};
 * {@link #fromUri} picks it by the URI's scheme.
 */
public interface BrokerProvider {
    /** The URI schemes this provider serves, lower case (e.g. {@code redis}, {@code rediss}). */
    Set<String> schemes();

    /** A broker for {@code uri}, not yet connected (the node starts it); fails with a clear message on a bad URI. */
    Broker create(String uri);

    /**
     * The broker for {@code uri} from the provider registered for its scheme; fails saying which
     * schemes are available and which module brings the one asked for.
     */
    static Broker fromUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("broker URI is empty: give e.g. redis://127.0.0.1:6379");
        }
        int colon = uri.indexOf("://");
        if (colon <= 0 || !uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has no scheme: give e.g. redis://127.0.0.1:6379, "
                    + "amqp://guest:guest@127.0.0.1:5672 or nats://127.0.0.1:4222");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        Set<String> known = new TreeSet<>();
        List<BrokerProvider> providers = new ArrayList<>();
        ServiceLoader.load(BrokerProvider.class, BrokerProvider.class.getClassLoader()).forEach(providers::add);
        for (BrokerProvider p : providers) {
            if (p.schemes().contains(scheme)) {
                return p.create(uri);
            }
            known.addAll(p.schemes());
        }
        String module = switch (scheme) {
            case "redis", "rediss" -> "realtime-broker-redis";
            case "amqp", "amqps" -> "realtime-broker-rabbitmq";
            case "nats", "tls" -> "realtime-broker-nats";
            default -> null;
        };
        throw new IllegalArgumentException("no broker for '" + scheme + "://' URIs"
                + (module == null ? "" : ": add the " + module + " module to the classpath")
                + (known.isEmpty() ? " (no broker module is on the classpath)" : " (available: " + String.join(", ", known) + ")"));
    }
}
