package dev.realtime.spring.app;

import dev.realtime.Broadcast;
import dev.realtime.Realtime;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Broadcasts what it is given, leaving out the socket of X-Socket-ID (Laravel's toOthers). */
@RestController
public class MessagesController {
    private final Realtime realtime;

    MessagesController(Realtime realtime) {
        this.realtime = realtime;
    }

    /** The message to send. */
    public record Message(String channel, String event, Map<String, Object> data) {
    }

    @PostMapping("/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void send(@RequestBody Message message, @RequestHeader(name = "X-Socket-ID", required = false) String socketId) {
        realtime.broadcast(Broadcast.to(message.channel()).event(message.event()).data(message.data()).except(socketId));
    }
}
