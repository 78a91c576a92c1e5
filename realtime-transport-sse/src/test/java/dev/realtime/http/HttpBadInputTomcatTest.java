package dev.realtime.http;

import dev.realtime.http.HttpTestNode;

/** The bad-input tests, with the transport's servlet in embedded Tomcat 10.1 (what Spring Boot runs) instead of Jetty core. */
class HttpBadInputTomcatTest extends HttpBadInputTest {
    @Override
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.TOMCAT;
    }
}
