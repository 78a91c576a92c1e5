package dev.realtime.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {
    @Test
    void csvQuotesWhatNeedsQuotingAndReadsBack() {
        ResultTable t = new ResultTable(List.of("target", "delivered_per_s", "status"));
        t.add("ours", 123456.7, "ok");
        t.add("soketi", Double.NaN, "error: a, \"b\"");
        assertThat(t.toCsv()).isEqualTo("target,delivered_per_s,status\nours,123457,ok\nsoketi,,\"error: a, \"\"b\"\"\"\n");
        ResultTable back = ResultTable.parseCsv(t.toCsv());
        assertThat(back.columns()).isEqualTo(t.columns());
        assertThat(back.rows()).isEqualTo(t.rows());
    }

    @Test
    void numbersKeepThreeSignificantPlacesWithADot() {
        assertThat(ResultTable.format(7.8449)).isEqualTo("7.84");
        assertThat(ResultTable.format(29.04)).isEqualTo("29.0");
        assertThat(ResultTable.format(1234.5)).isEqualTo("1235");
        assertThat(ResultTable.format(42)).isEqualTo("42");
        assertThat(ResultTable.format(null)).isEmpty();
    }

    @Test
    void markdownEscapesPipes() {
        ResultTable t = new ResultTable(List.of("a", "b"));
        t.add("x|y", 1);
        assertThat(t.toMarkdown()).isEqualTo("| a | b |\n| --- | --- |\n| x\\|y | 1 |\n");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        ResultTable t = new ResultTable(List.of("a", "b"));
        assertThatThrownBy(() -> t.add("only one")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultTable.parseCsv("a,b\n1,2,3\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesCsvAndMarkdown(@TempDir Path dir) throws Exception {
        ResultTable t = new ResultTable(List.of("a"));
        t.add(1);
        t.write(dir.resolve("sub/fanout-1"), "# title");
        assertThat(Files.readString(dir.resolve("sub/fanout-1.csv"))).isEqualTo("a\n1\n");
        assertThat(Files.readString(dir.resolve("sub/fanout-1.md"))).startsWith("# title\n\n| a |");
    }
}
