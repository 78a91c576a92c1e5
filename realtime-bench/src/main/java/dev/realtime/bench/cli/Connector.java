package dev.realtime.bench.cli;

import dev.realtime.bench.ws.Waits;
import dev.realtime.bench.ws.WsLoadClient;
import java.util.List;

/** Opens subscribers in batches (not a ramp test: each batch waits for the last), bounded in time. */
final class Connector {
    private static final int BATCH = 500;

    private Connector() {
    }

    /** {@code perChannel} subscribers on each channel; returns how many subscribed. */
    static int subscribeAll(WsLoadClient client, List<String> channels, int perChannel, Progress progress, String prefix)
            throws InterruptedException {
        int total = channels.size() * perChannel;
        int requested = 0;
        for (String channel : channels) {
            for (int left = perChannel; left > 0; ) {
                int n = Math.min(left, BATCH - requested % BATCH);
                client.connect(n, channel);
                left -= n;
                requested += n;
                if (requested % BATCH == 0 || requested == total) {
                    int target = requested;
                    Waits.until(() -> client.subscribed.get() + client.closed.get() >= target, 30_000);
                    progress.line(prefix, "connecting: " + client.subscribed.get() + "/" + total + " subscribed, "
                            + client.closed.get() + " closed");
                }
            }
        }
        return client.subscribed.get();
    }

}
