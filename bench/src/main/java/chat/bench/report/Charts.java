package chat.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts with XChart (headless). */
final class Charts {
  private Charts() {}

  /** points: {x, p50, p99, p99.9} in ms; a log y axis since tails span orders of magnitude. */
  static void latencyVsRate(String title, String xTitle, List<double[]> points, Path png) {
    if (points.isEmpty()) {
      return;
    }
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
        .yAxisTitle("latency ms (log)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setMarkerSize(6);
    String[] names = {"p50", "p99", "p99.9"};
    for (int s = 0; s < names.length; s++) {
      double[] xs = new double[points.size()];
      double[] ys = new double[points.size()];
      for (int i = 0; i < points.size(); i++) {
        xs[i] = points.get(i)[0];
        ys[i] = Math.max(0.01, points.get(i)[s + 1]); // log axis cannot show 0
      }
      chart.addSeries(names[s], xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
