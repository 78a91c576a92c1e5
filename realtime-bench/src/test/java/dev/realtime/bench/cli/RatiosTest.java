package dev.realtime.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {
    /** A fan-out's steps: target, offered rate, one measured {@code value}, status. */
    private static ResultTable steps(String value) {
        return new ResultTable(List.of("target", "offered_per_s", value, "status"));
    }

    private static ResultTable fanout() {
        ResultTable t = new ResultTable(List.of("target", "offered_per_s", "delivered_per_s", "server_cpu_us_per_msg", "status"));
        t.add("ours", 100000, 99000.0, 8.0, "ok");
        t.add("ours", 400000, 390000.0, 2.5, "ok");
        t.add("soketi", 100000, 98000.0, 10.0, "ok");
        t.add("soketi", 400000, 150000.0, 6.0, "saturated; 12 publishes failed or not sent (HTTP API backlogged)");
        t.add("floor", 100000, "", "", "refused: load generator at 90% of its core");
        t.add("floor", 400000, 170000.0, 5.0, "saturated; noisy: other processes used 40% of a core");
        return t;
    }

    @Test
    void oursOverEachPeerPerOfferedRateLeavingRefusedAndNoisyStepsOut() {
        ResultTable r = Ratios.byKey(fanout(), "offered_per_s", "server_cpu_us_per_msg");
        assertThat(r.columns()).containsExactly("offered_per_s", "ours server_cpu_us_per_msg", "soketi", "ours/soketi", "floor", "ours/floor");
        assertThat(r.rows()).containsExactly(
                List.of("100000", "8.00", "10.0", "0.80×", "", ""),
                List.of("400000", "2.50", "6.00", "0.42×", "", ""));
    }

    @Test
    void saturationIsTheHighestMeasuredRate() {
        ResultTable r = Ratios.saturation(fanout());
        // ours kept up at every step: a lower bound, and so is the ratio against a peer that saturated
        assertThat(r.rows()).containsExactly(List.of("highest delivered_per_s (clean steps)", "≥ 390000", "150000", "≥ 2.60×", "", ""));
    }

    @Test
    void aPeerWhoseHigherStepsWereRefusedHasOnlyALowerBound() {
        ResultTable t = steps("delivered_per_s");
        t.add("ours", 50000, 50000.0, "ok");
        t.add("ours", 800000, 600000.0, "saturated");
        t.add("soketi", 50000, 49998.0, "ok");
        t.add("soketi", 100000, "", "refused: load generator at 89% of its core (saw 62914 msgs/s)");
        t.add("floor", 50000, 50000.0, "ok");
        t.add("floor", 100000, "", "refused: load generator at 87% of its core");
        ResultTable r = Ratios.saturation(t);
        assertThat(r.rows()).containsExactly(List.of("highest delivered_per_s (clean steps)", "600000", "≥ 49998", "≤ 12.00×", "≥ 50000", "≤ 12.00×"));
        t.add("soketi", 200000, 90000.0, "saturated");
        assertThat(Ratios.saturation(t).rows().get(0).subList(1, 4)).containsExactly("600000", "90000", "6.67×");
    }

    @Test
    void neitherSaturatedIsNoDirection() {
        ResultTable t = steps("delivered_per_s");
        t.add("ours", 50000, 50000.0, "ok");
        t.add("soketi", 50000, 49000.0, "ok");
        assertThat(Ratios.saturation(t).rows().get(0)).containsExactly("highest delivered_per_s (clean steps)", "≥ 50000", "≥ 49000",
                "1.02× (neither saturated)");
    }

    @Test
    void offeredRatesInNumericOrderWhoeverMeasuredThemFirst() {
        ResultTable t = steps("p99_ms");
        t.add("ours", 100000, 5.0, "ok");
        t.add("ours", 50000, 9.0, "ok; noisy: other processes used 50% of a core");
        t.add("soketi", 50000, 4.0, "ok");
        t.add("soketi", 100000, 10.0, "ok");
        ResultTable r = Ratios.byKey(t, "offered_per_s", "p99_ms");
        assertThat(r.rows()).extracting(row -> row.get(0)).containsExactly("50000", "100000");
        assertThat(r.rows().get(1)).containsExactly("100000", "5.00", "10.0", "0.50×");
    }

    @Test
    void aTargetMeasuredSeveralTimesAtOneRateCountsWithItsMedianAndNoisyRepeatsStayOut() {
        ResultTable t = steps("server_cpu_us_per_msg");
        t.add("ours", 100000, 4.0, "ok");
        t.add("floor", 100000, 3.0, "ok");
        t.add("ours", 100000, 9.0, "ok");
        t.add("floor", 100000, 3.2, "ok");
        t.add("ours", 100000, 4.2, "ok");
        t.add("floor", 100000, 1.0, "ok; noisy: other processes used 40% of a core");
        ResultTable r = Ratios.byKey(t, "offered_per_s", "server_cpu_us_per_msg");
        assertThat(r.rows()).containsExactly(List.of("100000", "4.20", "3.10", "1.35×"));
        assertThat(Ratios.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Ratios.median(List.of(4.0, 1.0))).isEqualTo(2.5);
    }

    @Test
    void chartsDrawOnePointPerRateTheMedianOfItsRepeats() {
        ResultTable t = steps("p99_ms");
        t.add("ours", 100000, 5.0, "ok");
        t.add("ours", 100000, 7.0, "ok");
        t.add("ours", 100000, 6.0, "ok");
        t.add("ours", 200000, 8.0, "ok");
        assertThat(Charts.points(t, "p99_ms").get("ours")).containsExactly(new double[] {100000, 6.0}, new double[] {200000, 8.0});
    }
}
