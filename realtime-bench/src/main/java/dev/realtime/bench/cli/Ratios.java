package dev.realtime.bench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Ratio tables ours/peer from a scenario's rows: a ratio below 1 means we use less (time, CPU, memory) than the peer. */
final class Ratios {
    static final String OURS = "ours";

    private Ratios() {
    }

    /**
     * One row per value of {@code key}: ours, then each peer with ours/peer; a target measured more than once
     * at a key (--repeat) counts with its median. Refused, failed and noisy rows are left out: they measured
     * the load generator, nothing, or the other processes on the machine.
     */
    static ResultTable byKey(ResultTable table, String key, String value) {
        Map<String, Map<String, List<Double>>> all = new LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        for (List<String> row : table.rows()) {
            String target = table.get(row, "target");
            targets.add(target);
            String status = table.get(row, "status");
            String v = table.get(row, value);
            if (ResultTable.clean(status) && !v.isEmpty()) {
                all.computeIfAbsent(table.get(row, key), k -> new LinkedHashMap<>())
                        .computeIfAbsent(target, t -> new ArrayList<>()).add(Double.parseDouble(v));
            }
        }
        Map<String, Map<String, Double>> byKey = new LinkedHashMap<>();
        all.forEach((k, perTarget) -> byKey.put(k, medians(perTarget)));
        return build(key, value, targets, byKey);
    }

    /** Each key's values as their median, in the keys' order: one figure per step measured more than once. */
    static <K> Map<K, Double> medians(Map<K, List<Double>> values) {
        Map<K, Double> medians = new LinkedHashMap<>();
        values.forEach((k, v) -> medians.put(k, median(v)));
        return medians;
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The highest delivered msgs/s per target over its clean steps: saturation, as one row. A target none of
     * whose clean steps saturated (it kept up with every rate it was measured at: the highest step offered, or
     * the steps above were refused) has only a lower bound, shown as "≥ N"; a ratio against a lower bound is
     * one too ("≥" when ours is the bound, "≤" when the peer's is, and no direction when both are).
     */
    static ResultTable saturation(ResultTable fanout) {
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Boolean> reached = new LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        for (List<String> row : fanout.rows()) {
            String target = fanout.get(row, "target");
            targets.add(target);
            String status = fanout.get(row, "status");
            String v = fanout.get(row, "delivered_per_s");
            if (ResultTable.clean(status) && !v.isEmpty()) {
                best.merge(target, Double.parseDouble(v), Math::max);
                reached.merge(target, status.startsWith("saturated"), Boolean::logicalOr);
            }
        }
        List<String> peers = peers(targets);
        ResultTable out = new ResultTable(columns("measure", OURS, peers));
        List<Object> row = new ArrayList<>();
        row.add("highest delivered_per_s (clean steps)");
        row.add(bound(best.get(OURS), reached.get(OURS)));
        for (String peer : peers) {
            Double ours = best.get(OURS);
            Double p = best.get(peer);
            row.add(bound(p, reached.get(peer)));
            String ratio = null;
            if (ours != null && p != null && p != 0) {
                boolean oursExact = reached.get(OURS);
                boolean peerExact = reached.get(peer);
                String r = ratio(ours, p);
                ratio = oursExact && peerExact ? r
                        : oursExact ? "≤ " + r
                        : peerExact ? "≥ " + r
                        : r + " (neither saturated)";
            }
            row.add(ratio);
        }
        out.add(row.toArray());
        return out;
    }

    /** Every target but ours, in the order they were measured. */
    private static List<String> peers(Set<String> targets) {
        List<String> peers = new ArrayList<>(targets);
        peers.remove(OURS);
        return peers;
    }

    /** The key column, ours, then each peer and ours/peer. */
    private static List<String> columns(String key, String ours, List<String> peers) {
        List<String> columns = new ArrayList<>(List.of(key, ours));
        for (String peer : peers) {
            columns.add(peer);
            columns.add(OURS + "/" + peer);
        }
        return columns;
    }

    private static String ratio(double ours, double peer) {
        return String.format(Locale.ROOT, "%.2f×", ours / peer);
    }

    /** A saturation figure, or its lower bound when the target never saturated. */
    private static String bound(Double value, Boolean reached) {
        if (value == null) {
            return null;
        }
        String v = ResultTable.format(value);
        return Boolean.TRUE.equals(reached) ? v : "≥ " + v;
    }

    private static ResultTable build(String key, String value, Set<String> targets, Map<String, Map<String, Double>> byKey) {
        List<String> peers = peers(targets);
        ResultTable out = new ResultTable(columns(key, OURS + " " + value, peers));
        List<Map.Entry<String, Map<String, Double>>> entries = new ArrayList<>(byKey.entrySet());
        // offered rates in numeric order, whichever target measured a rate first
        if (entries.stream().allMatch(e -> e.getKey().matches("\\d+"))) {
            entries.sort(java.util.Comparator.comparingLong(e -> Long.parseLong(e.getKey())));
        }
        for (Map.Entry<String, Map<String, Double>> e : entries) {
            Double ours = e.getValue().get(OURS);
            List<Object> row = new ArrayList<>();
            row.add(e.getKey());
            row.add(ours);
            for (String peer : peers) {
                Double p = e.getValue().get(peer);
                row.add(p);
                row.add(ours == null || p == null || p == 0 ? null : ratio(ours, p));
            }
            out.add(row.toArray());
        }
        return out;
    }
}
