package dev.realtime.broker.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.realtime.spi.BrokerServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** What the RabbitMQ tests do to the shared server: test exchanges, and closing one connection with rabbitmqctl. */
final class RabbitMqAdmin {
    private static final List<String> EXCHANGES = new CopyOnWriteArrayList<>();

    private RabbitMqAdmin() {
    }

    /** A fresh exchange name, deleted by {@link #deleteTestExchanges}. */
    static String exchangeForTest() {
        String name = "realtime-test-" + UUID.randomUUID();
        EXCHANGES.add(name);
        return name;
    }

    static void deleteTestExchanges(String uri) {
        if (EXCHANGES.isEmpty()) {
            return;
        }
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(uri);
            try (Connection c = f.newConnection("realtime-test-cleanup"); Channel ch = c.createChannel()) {
                for (String e : EXCHANGES) {
                    ch.exchangeDelete(e);
                }
            }
            EXCHANGES.clear();
        } catch (Exception e) {
            System.err.println("could not delete the test exchanges " + EXCHANGES + ": " + e);
        }
    }

    /**
     * Closes the connection named {@code connectionName} from the server side, as an operator (or a
     * server shutting down) would: {@code rabbitmqctl close_connection <pid> <explanation>}. Only
     * that connection: {@code close_all_connections} would cut every client of the shared server.
     */
    static void closeConnection(String connectionName) throws IOException, InterruptedException {
        String list = run(BrokerServers.executable("rabbitmqctl"), "list_connections", "-q", "--no-table-headers",
                "pid", "client_properties");
        List<String> pids = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (line.contains("{\"connection_name\",\"" + connectionName + "\"}")) {
                pids.add(line.substring(0, line.indexOf('\t')).trim());
            }
        }
        if (pids.isEmpty()) {
            throw new IllegalStateException("no connection named " + connectionName + " in:\n" + list);
        }
        for (String pid : pids) {
            run(BrokerServers.executable("rabbitmqctl"), "close_connection", pid, "realtime reconnect test");
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
