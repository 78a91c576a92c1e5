package dev.realtime.sse;

import dev.realtime.http.HttpTestNode;

/** The text/event-stream tests, with the transport's servlet in embedded Tomcat 10.1 (what Spring Boot runs) instead of Jetty core. */
class EventSourceStreamTomcatTest extends EventSourceStreamTest {
    @Override
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.TOMCAT;
    }
}
