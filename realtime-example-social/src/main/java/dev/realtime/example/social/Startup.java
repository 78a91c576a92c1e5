package dev.realtime.example.social;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** On start: the demo (and benchmark) data, then the one line that tells a newcomer where to go. */
@Component
class Startup {
    private final DemoData demo;
    private final BenchData bench;
    private final SocialProperties properties;
    private final Environment environment;

    Startup(DemoData demo, BenchData bench, SocialProperties properties, Environment environment) {
        this.demo = demo;
        this.bench = bench;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        try {
            demo.seedIfEmpty();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // another instance on the same database seeded it first
        }
        bench.seed(properties.seed());
        System.out.println("realtime-example-social ready at http://localhost:" + environment.getProperty("local.server.port")
                + "/ (" + (environment.getProperty("realtime.broker") == null ? "one node, no broker"
                        : "node " + environment.getProperty("realtime.node-id", "with a random id") + " of a cluster")
                + ") — log in as "
                + String.join(", ", DemoData.USERS.subList(0, 10)) + ", mallory (private) or trent (no timeline), password "
                + DemoData.PASSWORD);
    }
}
