package dev.dagflow.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of ns per node against N, one per {@code shape}, for dagflow and its peers in
 * EngineThroughputBenchmark, drawn with XChart as SVG. A peer without a figure on a shape has
 * no series; a shape without any figure has no chart.
 */
final class Charts {
  static final List<String> PEERS = List.of("DAGFLOW", "FLOOR", "CF_GRAPH", "DEXECUTOR");

  private Charts() {
  }

  /**
   * Writes {@code engine-<shape>.png} into {@code dir} per shape with figures, titled with the
   * run's {@code mode} unless it is the full one; returns their names. PNG, not SVG: XChart's
   * SVG draws every glyph as a path, some 400 KB a chart, which each regeneration would add to
   * the repository; a PNG of the same chart is a tenth of that.
   */
  static List<String> write(Results results, Path dir, String mode) throws IOException {
    String suffix = mode.equals("full") ? "" : " (" + mode + " run)";
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    Targets targets = new Targets(results);
    List<String> written = new ArrayList<>();
    for (String shape : Summary.SHAPES) {
      XYChart chart = new XYChartBuilder().width(640).height(420)
          .title("ns per node, " + shape.toLowerCase(Locale.ROOT).replace('_', '-') + suffix)
          .xAxisTitle("nodes (N)").yAxisTitle("ns per node").build();
      chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
          .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS)
          .setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
      int series = 0;
      for (String peer : PEERS) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int n : Summary.SIZES) {
          Summary.Figure f = targets.engine(peer, shape, n);
          if (f.present()) {
            xs.add((double) n);
            ys.add(f.get());
          }
        }
        if (!xs.isEmpty()) {
          chart.addSeries(peer.toLowerCase(Locale.ROOT).replace('_', '-'), xs, ys)
              .setMarker(SeriesMarkers.CIRCLE);
          series++;
        }
      }
      if (series > 0) {
        String name = "engine-" + shape.toLowerCase(Locale.ROOT).replace('_', '-') + ".png";
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapFormat.PNG);
        written.add(name);
      }
    }
    return written;
  }
}
