package dev.realtime.broker.redis;

import java.time.Duration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/** What {@link RedisBrokerBuilder} validated, for the broker's parts. */
record RedisSettings(HostAndPort hostAndPort, JedisClientConfig subscriberConfig, JedisClientConfig publisherConfig,
        String channelPrefix, int publishQueueCapacity, Duration timeout, Duration pingInterval,
        Duration reconnectDelayMin, Duration reconnectDelayMax, String display) {
}
