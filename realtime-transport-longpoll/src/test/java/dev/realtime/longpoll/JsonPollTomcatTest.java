package dev.realtime.longpoll;

import dev.realtime.http.HttpTestNode;

/** The JSON long-poll tests, with the transport's servlet in embedded Tomcat 10.1 (what Spring Boot runs) instead of Jetty core. */
class JsonPollTomcatTest extends JsonPollTest {
    @Override
    protected HttpTestNode.Container container() {
        return HttpTestNode.Container.TOMCAT;
    }
}
