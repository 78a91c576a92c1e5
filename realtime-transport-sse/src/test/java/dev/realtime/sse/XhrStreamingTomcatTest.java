package dev.realtime.sse;

import dev.realtime.http.HttpTestNode;

/** The xhr_streaming tests, with the transport's servlet in embedded Tomcat 10.1 (what Spring Boot runs) instead of Jetty core. */
class XhrStreamingTomcatTest extends XhrStreamingTest {
    @Override
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.TOMCAT;
    }
}
