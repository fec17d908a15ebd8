package dev.dagflow.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
  @TempDir
  Path dir;

  private Summary summary;

  @BeforeEach
  void readTheFixture() throws IOException {
    Files.writeString(dir.resolve("engine.json"), "[\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 300,
            "shape", "LAYERED_100", "n", "100000", "impl", "DAGFLOW") + ",\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 50,
            "shape", "LAYERED_100", "n", "100000", "impl", "FLOOR") + ",\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 100,
            "shape", "LAYERED_100", "n", "100000", "impl", "CF_GRAPH") + ",\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 20,
            "shape", "CHAIN", "n", "100000", "impl", "DAGFLOW") + ",\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 10,
            "shape", "CHAIN", "n", "100000", "impl", "FLOOR") + ",\n"
        + jmh("EngineThroughputBenchmark.scaling", "avgt", "ms/op", 1.0,
            "shape", "LAYERED_100", "n", "1000", "impl", "DAGFLOW") + "\n]\n");
    Files.writeString(dir.resolve("engine-1e6.json"), "[\n"
        + jmh("EngineThroughputBenchmark.scaling", "ss", "s/op", 2.5,
            "shape", "CHAIN", "n", "1000000", "impl", "DAGFLOW") + "\n]\n");
    Files.writeString(dir.resolve("dexecutor.json"), "[\n"
        + jmh("EngineThroughputBenchmark.versusDexecutor", "avgt", "ms/op", 12,
            "shape", "LAYERED_100", "n", "1000", "impl", "DEXECUTOR") + "\n]\n");
    Files.writeString(dir.resolve("triggers.json"), "[\n"
        + jmh("TriggerMatchBenchmark.match", "avgt", "us/op", 4.0,
            "n", "100000", "selectivity", "ONE_PERCENT_OF_TYPE", "impl", "INDEXED") + ",\n"
        + jmh("TriggerMatchBenchmark.match", "avgt", "us/op", 500,
            "n", "100000", "selectivity", "ONE_PERCENT_OF_TYPE", "impl", "LINEAR") + ",\n"
        + jmh("TriggerMatchBenchmark.match", "thrpt", "ops/s", 20_000,
            "n", "100000", "selectivity", "ONE_PERCENT_OF_ALL", "impl", "INDEXED") + "\n]\n");
    Files.writeString(dir.resolve("remote.json"), "[\n"
        + "{\"benchmark\": \"dev.dagflow.benchmarks.RemotePollingBenchmark.statusToTransition\","
        + " \"mode\": \"sample\", \"params\": {\"delivery\": \"WEBHOOK\"}, \"primaryMetric\":"
        + " {\"score\": 4.0, \"scoreError\": 1.0, \"scoreUnit\": \"ms/op\","
        + " \"scorePercentiles\": {\"50.0\": 3.0, \"99.0\": 12.0}}}\n]\n");
    Files.writeString(dir.resolve("jdbc.json"), "[\n"
        + jdbc("DAGFLOW", 5_000, "2500.0") + ",\n" + jdbc("DB_SCHEDULER", 2_000, "\"NaN\"")
        + "\n]\n");
    Files.writeString(dir.resolve("memory-LAYERED_1000.json"), "{\"shape\": \"LAYERED_1000\","
        + " \"n\": 1000000, \"outcome\": \"COMPLETED\", \"specBytes\": 221800000,"
        + " \"planBytes\": 49000000, \"engineBytes\": 100000, \"runBytes\": 150700000}\n");
    summary = Summary.of(Results.read(dir));
  }

  private static String jmh(String benchmark, String mode, String unit, double score,
      String... params) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < params.length; i += 2) {
      p.append(i == 0 ? "" : ", ").append('"').append(params[i]).append("\": \"")
          .append(params[i + 1]).append('"');
    }
    return "{\"benchmark\": \"dev.dagflow.benchmarks." + benchmark + "\", \"mode\": \"" + mode
        + "\", \"params\": {" + p + "}, \"primaryMetric\": {\"score\": " + score
        + ", \"scoreError\": 0.5, \"scoreUnit\": \"" + unit + "\"}, \"secondaryMetrics\": {}}";
  }

  private static String jdbc(String impl, double ms, String commits) {
    return "{\"benchmark\": \"dev.dagflow.benchmarks.JdbcEngineBenchmark.workload\","
        + " \"mode\": \"ss\", \"params\": {\"database\": \"POSTGRESQL\", \"impl\": \"" + impl
        + "\", \"runs\": \"100\"}, \"primaryMetric\": {\"score\": " + ms + ", \"scoreError\":"
        + " 1.0, \"scoreUnit\": \"ms/op\"}, \"secondaryMetrics\": {\"commits\": {\"score\": "
        + commits + ", \"scoreUnit\": \"#\"}, \"units\": {\"score\": 50000.0,"
        + " \"scoreUnit\": \"#\"}}}";
  }

  private Summary.Row row(String target, String workload) {
    List<Summary.Row> found = summary.rows().stream()
        .filter(r -> r.target().startsWith(target) && r.workload().equals(workload)).toList();
    assertThat(found).as("rows for %s on %s", target, workload).hasSize(1);
    return found.get(0);
  }

  @Test
  void aRatioOverItsBoundIsMissedAndUnderItMet() {
    Summary.Row layered = row("dagflow / floor (≤ 3 ×)", "layered-100, 100,000");
    assertThat(layered.ours()).isEqualTo("3,000 ns/node");
    assertThat(layered.comparedWith()).isEqualTo("floor 500 ns/node");
    assertThat(layered.ratio()).isEqualTo("6.00 ×");
    assertThat(layered.verdict()).isEqualTo(Summary.MISSED);

    Summary.Row chain = row("dagflow / floor (≤ 3 ×)", "chain, 100,000");
    assertThat(chain.ratio()).isEqualTo("2.00 ×");
    assertThat(chain.verdict()).isEqualTo(Summary.MET);
  }

  @Test
  void theDexecutorRatioIsItsTimeOverOursAndAtLeastTheBound() {
    Summary.Row r = row("Dexecutor / dagflow (≥ 10 ×)", "layered-100, 1,000");
    assertThat(r.ours()).isEqualTo("1,000 ns/node");
    assertThat(r.comparedWith()).startsWith("dexecutor 12,000 ns/node; floor missing");
    assertThat(r.ratio()).isEqualTo("12.0 ×");
    assertThat(r.verdict()).isEqualTo(Summary.MET);
  }

  @Test
  void slowerThanTheFuturesIsMissed() {
    Summary.Row r = row("dagflow / CompletableFuture graph", "layered-100, 100,000");
    assertThat(r.ratio()).isEqualTo("3.00 ×");
    assertThat(r.verdict()).isEqualTo(Summary.MISSED);
  }

  @Test
  void aMissingFigureIsShownAsMissingAndItsTargetNotMeasured() {
    Summary.Row r = row("dagflow / floor (≤ 3 ×)", "chain, 1,000,000");
    assertThat(r.ours()).isEqualTo("2,500 ns/node"); // 2.5 s/op single shot over 1e6 nodes
    assertThat(r.comparedWith()).isEqualTo("floor missing");
    assertThat(r.ratio()).isEqualTo("—");
    assertThat(r.verdict()).isEqualTo("not measured (floor missing)");

    Summary.Row growth = row("ns/node growth, 10,000 → 1,000,000", "chain, 1,000,000");
    assertThat(growth.verdict()).isEqualTo("not measured (dagflow at 10,000 missing)");

    Summary.Row none = row("dagflow / floor (≤ 3 ×)", "layered-100, 1,000,000");
    assertThat(none.ours()).isEqualTo("missing");
    assertThat(none.verdict()).isEqualTo("not measured (dagflow, floor missing)");
  }

  @Test
  void boundsOnOurFigureAloneAndTheDerivedPerTriggerFigure() {
    assertThat(row("µs per event (≤ 1 µs)", "1e5 triggers, 1% of type").verdict())
        .isEqualTo(Summary.MISSED);
    Summary.Row perEvent = row("µs per event (≤ 5 µs)", "1e5 triggers, 1% of type");
    assertThat(perEvent.ours()).isEqualTo("4.00 µs/event");
    assertThat(perEvent.verdict()).isEqualTo(Summary.MET);
    // the same target in issue 16 and in the earlier results: a row in each section
    assertThat(summary.rows()).filteredOn(r -> r.target().equals("linear / indexed (≥ 100 ×)")
        && r.workload().equals("1e5 triggers, 1% of type"))
        .extracting(Summary.Row::ratio, Summary.Row::verdict)
        .containsExactly(tuple("125 ×", Summary.MET), tuple("125 ×", Summary.MET));

    // 20,000 events/s is 50 µs per event, over the 1,000 triggers each is designed to fire
    Summary.Row perFired = row("ns per fired trigger", "1e5 triggers, 1,000 fired per event");
    assertThat(perFired.ours()).isEqualTo("50.0 ns/trigger");
    assertThat(perFired.verdict()).isEqualTo(Summary.MET);
  }

  @Test
  void memoryAddsTheFourStepsAndJudgesTheTotal() {
    Summary.Row r = row("retained memory, finished run", "layered-1000, 1,000,000");
    assertThat(r.ours()).isEqualTo("422 B/node");
    assertThat(r.comparedWith()).contains("spec 222 B/node", "plan 49.0 B/node");
    assertThat(r.verdict()).isEqualTo(Summary.MISSED);
    assertThat(row("retained memory, finished run", "chain, 1,000,000").verdict())
        .startsWith("not measured");
  }

  @Test
  void jdbcRateRatioCommitsPerNodeAndTheRemoteP99() {
    Summary.Row rate = row("dagflow rate / db-scheduler rate", "10,000 nodes, POSTGRESQL");
    assertThat(rate.ratio()).isEqualTo("0.40 ×");
    assertThat(rate.verdict()).isEqualTo(Summary.MISSED);
    Summary.Row commits = row("commits per node", "10,000 nodes, POSTGRESQL");
    assertThat(commits.ours()).isEqualTo("0.0500 commits/node");
    assertThat(commits.verdict()).isEqualTo(Summary.MET);

    Summary.Row webhook = row("status change to transition, p99",
        "1,000 tasks, poll every 1,000 ms, WEBHOOK");
    assertThat(webhook.ours()).isEqualTo("12.0 ms");
    assertThat(webhook.comparedWith()).isEqualTo("mean 4.00 ms");
    assertThat(webhook.verdict()).isEqualTo(Summary.MISSED);
    assertThat(row("status change to transition, p99",
        "1,000 tasks, poll every 1,000 ms, POLLING").verdict()).startsWith("not measured");
  }

  @Test
  void theMarkdownHasEveryRowAndNeverANumberItWasNotGiven() {
    String md = summary.toMarkdown();

    assertThat(md).startsWith(summary.tally());
    assertThat(md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| target")))
        .hasSize(summary.rows().size());
    assertThat(md).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(summary.tally()).contains("not measured");
  }

  @Test
  void thePageCarriesTheSmokeLabelTheCommandAndTheCharts() throws IOException {
    Files.writeString(dir.resolve("run.properties"),
        "mode=smoke\ncommand=benchmarks/run.sh summary\nstarted=a\nfinished=b\n");
    Files.writeString(dir.resolve("machine.md"), "- 2 cores\n");
    Path charts = dir.resolve("charts");

    List<String> images = Charts.write(Results.read(dir), charts, "smoke");
    String page = Report.page(dir, summary, Path.of("benchmarks"), images);

    assertThat(images).containsExactly("engine-layered-100.png", "engine-chain.png");
    byte[] png = Files.readAllBytes(charts.resolve("engine-chain.png"));
    assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
    assertThat(page).contains("Smoke run, not measurements", "`benchmarks/run.sh summary`",
        "- 2 cores", "![engine-chain](benchmarks/engine-chain.png)");
  }

  @Test
  void aSmokeRunShowsItsFiguresButJudgesNothing() {
    Summary smoke = Summary.of(Results.read(dir), false);

    assertThat(smoke.rows()).extracting(Summary.Row::verdict)
        .doesNotContain(Summary.MET, Summary.MISSED).contains(Summary.NOT_JUDGED);
    assertThat(smoke.rows()).extracting(Summary.Row::ours).contains("3,000 ns/node");
    assertThat(smoke.tally()).contains("0 met, 0 missed").endsWith("not judged");
  }

  @Test
  void aJsonFileOfNeitherKindIsRefused() throws IOException {
    Files.writeString(dir.resolve("other.json"), "{\"x\": 1}");

    assertThatThrownBy(() -> Results.read(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other.json");
  }
}
