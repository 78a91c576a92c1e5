package dev.realtime.internal;

import dev.realtime.ChannelInfo;
import dev.realtime.ChannelType;
import dev.realtime.Member;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The channel queries of the API, answered for the whole cluster (on a single node, for the node). */
final class ClusterView {
    private final Occupancy occupancy;
    private final PresenceRegistry presence;

    ClusterView(Occupancy occupancy, PresenceRegistry presence) {
        this.occupancy = occupancy;
        this.presence = presence;
    }

    /** The members of a presence channel on every node, one per user, in join order. */
    List<Member> members(String name) {
        return ChannelType.of(name).isPresence() ? presence.members(name) : List.of();
    }

    /** Subscriptions and users of one channel on every node. */
    ChannelInfo info(String name) {
        int subs = occupancy.total(name);
        int users = ChannelType.of(name).isPresence() ? presence.count(name) : 0;
        return new ChannelInfo(name, subs > 0, subs, users);
    }

    /** The occupied channels whose names start with {@code prefix}, by name (internal channels left out). */
    Map<String, ChannelInfo> infos(String prefix) {
        Map<String, ChannelInfo> result = new TreeMap<>();
        for (String name : occupancy.channels()) {
            if (name.startsWith(prefix) && !name.startsWith(ChannelType.SERVER_TO_USER_PREFIX)) {
                ChannelInfo info = info(name);
                if (info.occupied()) {
                    result.put(name, info);
                }
            }
        }
        return result;
    }
}
