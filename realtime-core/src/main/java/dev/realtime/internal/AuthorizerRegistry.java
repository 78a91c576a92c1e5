package dev.realtime.internal;

import dev.realtime.ChannelAuthorizer;
import dev.realtime.PresenceAuthorizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authorizers registered by channel pattern. {@code {name}} matches one segment without dots,
 * {@code *} matches anything non-empty. The most specific match wins: more literal characters
 * first, then fewer wildcards, then registration order.
 */
public final class AuthorizerRegistry {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** One registered pattern and its authorizer (one of the two is set). */
    public record Entry(String pattern, Pattern regex, List<String> params, int literals, int wildcards, int order,
                        ChannelAuthorizer privateAuthorizer, PresenceAuthorizer presenceAuthorizer) {
    }

    /** A match: the entry and the values of its placeholders. */
    public record Match(Entry entry, Map<String, String> params) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public void addPrivate(String pattern, ChannelAuthorizer authorizer) {
        if (pattern == null || !pattern.startsWith("private-")) {
            throw new IllegalArgumentException("authorize(\"" + pattern + "\", …): private channel patterns start with "
                    + "'private-' (use presence(…) for 'presence-' channels)");
        }
        add(pattern, authorizer, null);
    }

    public void addPresence(String pattern, PresenceAuthorizer authorizer) {
        if (pattern == null || !pattern.startsWith("presence-")) {
            throw new IllegalArgumentException("presence(\"" + pattern + "\", …): presence channel patterns start with 'presence-'");
        }
        add(pattern, null, authorizer);
    }

    private synchronized void add(String pattern, ChannelAuthorizer priv, PresenceAuthorizer presence) {
        StringBuilder regex = new StringBuilder();
        List<String> params = new ArrayList<>();
        int literals = 0;
        int wildcards = 0;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                Matcher m = PLACEHOLDER.matcher(pattern);
                if (!m.find(i) || m.start() != i) {
                    throw new IllegalArgumentException("pattern '" + pattern + "' has a malformed placeholder at " + i
                            + ": write {name} with letters, digits and _");
                }
                String name = m.group(1);
                if (params.contains(name)) {
                    throw new IllegalArgumentException("pattern '" + pattern + "' uses {" + name + "} twice");
                }
                params.add(name);
                regex.append("(?<").append(name).append(">[^.]+)");
                wildcards++;
                i = m.end();
            } else if (c == '*') {
                regex.append(".+");
                wildcards++;
                i++;
            } else if (ChannelNames.allowed(c)) {
                regex.append(Pattern.quote(String.valueOf(c)));
                literals++;
                i++;
            } else {
                throw new IllegalArgumentException("pattern '" + pattern + "' contains '" + c
                        + "', which no channel name can contain");
            }
        }
        for (Entry e : entries) {
            if (e.pattern().equals(pattern)) {
                throw new IllegalArgumentException("pattern '" + pattern + "' is registered twice");
            }
        }
        entries.add(new Entry(pattern, Pattern.compile(regex.toString()), List.copyOf(params), literals, wildcards,
                entries.size(), priv, presence));
        entries.sort(Comparator.comparingInt((Entry e) -> -e.literals()).thenComparingInt(Entry::wildcards)
                .thenComparingInt(Entry::order));
    }

    /** The most specific entry matching {@code channel}, or null. */
    public synchronized Match match(String channel) {
        for (Entry e : entries) {
            Matcher m = e.regex().matcher(channel);
            if (m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (String p : e.params()) {
                    params.put(p, m.group(p));
                }
                return new Match(e, params);
            }
        }
        return null;
    }
}
