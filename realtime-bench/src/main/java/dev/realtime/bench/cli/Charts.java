package dev.realtime.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** PNG charts of a fan-out CSV: delivered msgs/s and p99 against the offered rate, one line per server. */
final class Charts {
    private Charts() {
    }

    /** Writes {@code <base>-delivered.png} and {@code <base>-p99.png}; returns the files written. */
    static List<Path> fanout(ResultTable table, Path base) throws IOException {
        System.setProperty("java.awt.headless", "true"); // no display on a benchmark machine
        List<Path> written = new ArrayList<>();
        written.add(chart(table, base, "delivered", "delivered msgs/s", "delivered_per_s", false));
        written.add(chart(table, base, "p99", "p99 publish-to-receive (ms, log)", "p99_ms", true));
        return written;
    }

    private static Path chart(ResultTable table, Path base, String suffix, String yTitle, String column, boolean log)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(yTitle + " against offered deliveries/s")
                .xAxisTitle("offered deliveries/s").yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(6);
        Map<String, List<double[]>> series = points(table, column);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            if (x.length > 0) {
                chart.addSeries(e.getKey(), x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no valid step", new double[] {1}, new double[] {1});
        }
        Path png = Path.of(base + "-" + suffix + ".png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }

    /**
     * (offered, value) per target, from the rows that measured the server (not refused, not failed, value
     * present); a rate measured more than once (--repeat) is one point, the median.
     */
    static Map<String, List<double[]>> points(ResultTable table, String column) {
        Map<String, Map<Double, List<Double>>> byTarget = new LinkedHashMap<>();
        for (List<String> row : table.rows()) {
            String status = table.get(row, "status");
            String value = table.get(row, column);
            String offered = table.get(row, "offered_per_s");
            Map<Double, List<Double>> byRate = byTarget.computeIfAbsent(table.get(row, "target"), k -> new LinkedHashMap<>());
            if (ResultTable.measured(status) && !value.isEmpty() && !offered.isEmpty()) {
                double v = Double.parseDouble(value);
                if (v > 0) { // a log axis cannot show 0
                    byRate.computeIfAbsent(Double.parseDouble(offered), r -> new ArrayList<>()).add(v);
                }
            }
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        byTarget.forEach((target, byRate) -> {
            List<double[]> list = new ArrayList<>();
            Ratios.medians(byRate).forEach((rate, median) -> list.add(new double[] {rate, median}));
            series.put(target, list);
        });
        return series;
    }
}
