package dev.realtime.server.cluster;

import dev.realtime.spi.BrokerServers;
import dev.realtime.spi.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The broker server of a test cluster, which the test can take away from the nodes and give back.
 * Redis and NATS are private servers on a free port (stopped and started again: a restart); RabbitMQ
 * is the shared server with a virtual host of the test's own, whose permissions are withdrawn and
 * whose connections are closed with {@code rabbitmqctl} (other clients of the server are not touched).
 * Each factory skips the test, or fails it on CI, when its server cannot be had.
 */
interface ClusterBroker extends AutoCloseable {
    /** A short name: redis, rabbitmq, nats. */
    String name();

    /** What the nodes get as {@code --broker}. */
    String uri();

    /** Cuts the nodes off the broker; they notice at once (their connections are closed). */
    void down() throws Exception;

    /** Lets them back in; they reconnect by themselves. */
    void up() throws Exception;

    @Override
    void close();

    /** A private {@code redis-server}. */
    static ClusterBroker redis() {
        BrokerServers.requireCommand("redis-server", "apt-get install redis-server");
        int port = BrokerServers.freePort();
        return new Private("redis", "redis://127.0.0.1:" + port, new ServerProcess("cluster-it-redis", port,
                List.of(BrokerServers.executable("redis-server"), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no")));
    }

    /** A private {@code nats-server}. */
    static ClusterBroker nats() {
        BrokerServers.requireCommand("nats-server", "apt-get install nats-server");
        int port = BrokerServers.freePort();
        return new Private("nats", "nats://127.0.0.1:" + port, new ServerProcess("cluster-it-nats", port,
                List.of(BrokerServers.executable("nats-server"), "-a", "127.0.0.1", "-p", String.valueOf(port))));
    }

    /** A virtual host of its own on the RabbitMQ server at 127.0.0.1:5672 (guest/guest). */
    static ClusterBroker rabbitMq() throws Exception {
        BrokerServers.require("RabbitMQ", "127.0.0.1", 5672, "rabbitmq-server -detached (or bash .ci/run)");
        BrokerServers.requireCommand("rabbitmqctl", "apt-get install rabbitmq-server");
        return new RabbitVhost("realtime-cluster-it-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A server process of the test's own. */
    final class Private implements ClusterBroker {
        private final String name;
        private final String uri;
        private final ServerProcess server;

        Private(String name, String uri, ServerProcess server) {
            this.name = name;
            this.uri = uri;
            this.server = server.start();
        }

        @Override public String name() { return name; }

        @Override public String uri() { return uri; }

        @Override public void down() { server.stop(); }

        @Override public void up() { server.start(); }

        @Override public void close() { server.stop(); }
    }

    /** A RabbitMQ virtual host made for the test and deleted after it. */
    final class RabbitVhost implements ClusterBroker {
        private final String vhost;

        RabbitVhost(String vhost) throws Exception {
            this.vhost = vhost;
            rabbitmqctl("add_vhost", vhost);
            up();
        }

        @Override public String name() { return "rabbitmq"; }

        @Override public String uri() { return "amqp://guest:guest@127.0.0.1:5672/" + vhost; }

        /** No more permissions on the vhost (so reconnecting fails), then every connection to it closed. */
        @Override
        public void down() throws Exception {
            rabbitmqctl("clear_permissions", "-p", vhost, "guest");
            String list = rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "vhost");
            List<String> ours = new ArrayList<>();
            for (String line : list.split("\n")) {
                String[] cols = line.split("\t");
                if (cols.length == 2 && cols[1].trim().equals(vhost)) {
                    ours.add(cols[0].trim());
                }
            }
            if (ours.isEmpty()) {
                throw new IllegalStateException("no connection to vhost " + vhost + " in:\n" + list);
            }
            for (String pid : ours) {
                rabbitmqctl("close_connection", pid, "realtime cluster IT: broker outage");
            }
        }

        @Override
        public void up() throws Exception {
            rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        }

        @Override
        public void close() {
            try {
                rabbitmqctl("delete_vhost", vhost);
            } catch (Exception e) {
                System.err.println("could not delete the test vhost " + vhost + ": " + e);
            }
        }

        private static String rabbitmqctl(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(BrokerServers.executable("rabbitmqctl"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.toString(StandardCharsets.UTF_8));
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
