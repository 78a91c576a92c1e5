package dev.realtime.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Rows of one scenario, written as CSV (for charts and spreadsheets) and as a Markdown table (for BENCHMARKS.md). */
public final class ResultTable {
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public ResultTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** Adds a row; numbers are formatted with a dot and no grouping, whatever the machine's locale. */
    public void add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object v : values) {
            row.add(format(v));
        }
        rows.add(row);
    }

    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "";
            }
            double abs = Math.abs(d);
            return String.format(Locale.ROOT, abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f", d);
        }
        return v.toString();
    }

    /** Whether a row's status says it measured the server (ok or saturated, with or without a note), not refused or failed. */
    public static boolean measured(String status) {
        return status.startsWith("ok") || status.startsWith("saturated");
    }

    /** Measured, and no other process took a noticeable share of the machine meanwhile: fit for a ratio. */
    public static boolean clean(String status) {
        return measured(status) && !status.contains("noisy");
    }

    /** The value of {@code column} in {@code row}. */
    public String get(List<String> row, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return row.get(i);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        appendCsvLine(sb, columns);
        for (List<String> row : rows) {
            appendCsvLine(sb, row);
        }
        return sb.toString();
    }

    private static void appendCsvLine(StringBuilder sb, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values.get(i);
            // RFC 4180: quote a field holding a comma, a quote or a line break, doubling its quotes
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        sb.append('\n');
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", columns)).append(" |\n|");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(" --- |");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append("| ");
            for (int i = 0; i < row.size(); i++) {
                sb.append(i > 0 ? " | " : "").append(row.get(i).replace("|", "\\|"));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** Writes {@code <base>.csv} and {@code <base>.md} (with {@code preamble} above the table). */
    public void write(Path base, String preamble) throws IOException {
        Files.createDirectories(base.toAbsolutePath().getParent());
        Files.writeString(Path.of(base + ".csv"), toCsv(), StandardCharsets.UTF_8);
        Files.writeString(Path.of(base + ".md"), preamble + "\n\n" + toMarkdown(), StandardCharsets.UTF_8);
    }

    /** Reads a table written by {@link #toCsv()}. */
    public static ResultTable parseCsv(String csv) {
        List<List<String>> lines = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                current.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                current.add(field.toString());
                field.setLength(0);
                lines.add(current);
                current = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !current.isEmpty()) {
            current.add(field.toString());
            lines.add(current);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty CSV");
        }
        ResultTable table = new ResultTable(lines.get(0));
        for (List<String> row : lines.subList(1, lines.size())) {
            if (row.size() != table.columns.size()) {
                throw new IllegalArgumentException("row of " + row.size() + " fields under " + table.columns.size() + " columns: " + row);
            }
            table.rows.add(row);
        }
        return table;
    }

    public static ResultTable read(Path csv) throws IOException {
        return parseCsv(Files.readString(csv, StandardCharsets.UTF_8));
    }
}
