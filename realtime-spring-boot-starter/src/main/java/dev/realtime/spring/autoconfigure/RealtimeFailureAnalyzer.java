package dev.realtime.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link RealtimeConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" description and action. */
class RealtimeFailureAnalyzer extends AbstractFailureAnalyzer<RealtimeConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RealtimeConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
