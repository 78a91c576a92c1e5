package dev.realtime.example.social;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The example social app: user status, online users, a live timeline and live post updates, on the
 * realtime Spring Boot starter, with a live page at {@code /}.
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SocialApplication {

    /** Starts the app from the command line ({@link CommandLine#USAGE}); a bad command line exits with 2. */
    public static void main(String[] args) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("realtime-example-social: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        SpringApplication.run(SocialApplication.class, parsed.springArgs().toArray(String[]::new));
    }

    /** The time every service reads, so tests can move it. */
    @Bean
    Clock clock() {
        return new MicrosecondClock(Clock.systemUTC());
    }
}
