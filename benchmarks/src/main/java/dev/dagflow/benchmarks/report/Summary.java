package dev.dagflow.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every target of issue 16 and of the earlier results in {@code benchmarks/README.md}, judged
 * against one run's {@link Results}: our figure, each peer's, the ratio and whether the target
 * is met. A figure missing from the results is shown as missing and its target as not measured;
 * nothing is estimated. Immutable.
 */
public final class Summary {
  static final String ENGINE = "EngineThroughputBenchmark.scaling";
  static final String DEXECUTOR = "EngineThroughputBenchmark.versusDexecutor";
  static final String EVALUATOR = "EvaluatorBenchmark.fullRun";
  static final String SPEC = "SpecValidationBenchmark.validate";
  static final String TRIGGER = "TriggerMatchBenchmark.match";
  static final String JDBC = "JdbcEngineBenchmark.workload";
  static final String REMOTE = "RemotePollingBenchmark.statusToTransition";

  static final List<String> SHAPES =
      List.of("LAYERED_100", "CHAIN", "FAN_OUT_IN", "LAYERED_1000");
  static final List<Integer> SIZES = List.of(1_000, 10_000, 100_000, 1_000_000);
  static final String MET = "met";
  static final String MISSED = "**missed**";
  static final String NOT_MEASURED = "not measured";
  static final String NOT_JUDGED = "not judged (smoke run)";

  private final List<Section> sections;

  private Summary(List<Section> sections) {
    this.sections = List.copyOf(sections);
  }

  /** The targets judged against {@code results}. */
  public static Summary of(Results results) {
    return of(results, true);
  }

  /**
   * The targets against {@code results}; unless {@code judged} (a smoke run, whose figures are
   * not measurements), a target that has its figures says {@value #NOT_JUDGED} instead of met
   * or missed.
   */
  public static Summary of(Results results, boolean judged) {
    List<Section> sections = new Targets(results).sections();
    if (judged) {
      return new Summary(sections);
    }
    List<Section> unjudged = new ArrayList<>();
    for (Section section : sections) {
      unjudged.add(new Section(section.title(), section.rows().stream()
          .map(r -> r.verdict().equals(MET) || r.verdict().equals(MISSED)
              ? new Row(r.target(), r.workload(), r.ours(), r.comparedWith(), r.ratio(),
                  NOT_JUDGED)
              : r)
          .toList()));
    }
    return new Summary(unjudged);
  }

  /** The sections, each a table of rows. */
  public List<Section> sections() {
    return sections;
  }

  /** Every row of every section. */
  public List<Row> rows() {
    List<Row> all = new ArrayList<>();
    sections.forEach(s -> all.addAll(s.rows()));
    return all;
  }

  /** The counts of met, missed and not measured targets, as one line. */
  public String tally() {
    long met = rows().stream().filter(r -> r.verdict().equals(MET)).count();
    long missed = rows().stream().filter(r -> r.verdict().equals(MISSED)).count();
    long unjudged = rows().stream().filter(r -> r.verdict().equals(NOT_JUDGED)).count();
    long absent = rows().size() - met - missed - unjudged;
    return String.format(Locale.ROOT, "%d targets: %d met, %d missed, %d not measured", rows()
        .size(), met, missed, absent) + (unjudged == 0 ? "" : ", " + unjudged + " not judged");
  }

  /** The tables in Markdown, one {@code ###} heading per section. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(tally()).append(".\n");
    for (Section section : sections) {
      md.append("\n### ").append(section.title()).append("\n\n");
      md.append("| target | workload | ours | compared with | ratio | verdict |\n");
      md.append("|---|---|---:|---|---:|---|\n");
      for (Row r : section.rows()) {
        md.append("| ").append(r.target()).append(" | ").append(r.workload()).append(" | ")
            .append(r.ours()).append(" | ").append(r.comparedWith()).append(" | ")
            .append(r.ratio()).append(" | ").append(r.verdict()).append(" |\n");
      }
    }
    return md.toString();
  }

  /** A titled table. */
  public record Section(String title, List<Row> rows) {
    public Section {
      rows = List.copyOf(rows);
    }
  }

  /** One target on one workload, every cell already formatted. */
  public record Row(String target, String workload, String ours, String comparedWith,
      String ratio, String verdict) {
  }

  /** A figure, or why it is missing; {@code value} is in {@code unit}. */
  record Figure(String label, OptionalDouble value, String unit) {
    static Figure of(String label, Optional<Double> value, String unit) {
      return new Figure(label, value.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
          unit);
    }

    boolean present() {
      return value.isPresent();
    }

    double get() {
      return value.getAsDouble();
    }

    String text() {
      return value.isPresent() ? number(value.getAsDouble()) + " " + unit : "missing";
    }

    String labelled() {
      return label + " " + text();
    }
  }

  /** A bound on a ratio or a figure. */
  record Goal(String text, boolean atMost, double bound) {
    static Goal atMost(double bound, String text) {
      return new Goal(text, true, bound);
    }

    static Goal atLeast(double bound, String text) {
      return new Goal(text, false, bound);
    }

    static Goal below(double bound, String text) {
      return new Goal(text, true, Math.nextDown(bound));
    }

    boolean met(double value) {
      return atMost ? value <= bound : value >= bound;
    }
  }

  /**
   * A row judged on {@code ours / base} (or on {@code ours} alone when {@code base} is null);
   * missing figures make it not measured.
   */
  static Row judge(String target, String workload, Figure ours, List<Figure> peers,
      Figure numerator, Figure denominator, Goal goal) {
    StringBuilder compared = new StringBuilder();
    for (Figure peer : peers) {
      compared.append(compared.length() == 0 ? "" : "; ").append(peer.labelled());
    }
    String comparedWith = compared.length() == 0 ? "—" : compared.toString();
    String target2 = target + " (" + goal.text() + ")";
    if (denominator == null) {
      if (!numerator.present()) {
        return new Row(target2, workload, ours.text(), comparedWith, "—",
            NOT_MEASURED + " (" + numerator.label() + " missing)");
      }
      return new Row(target2, workload, ours.text(), comparedWith, "—",
          goal.met(numerator.get()) ? MET : MISSED);
    }
    List<String> missing = new ArrayList<>();
    if (!numerator.present()) {
      missing.add(numerator.label());
    }
    if (!denominator.present()) {
      missing.add(denominator.label());
    }
    if (!missing.isEmpty()) {
      return new Row(target2, workload, ours.text(), comparedWith, "—",
          NOT_MEASURED + " (" + String.join(", ", missing) + " missing)");
    }
    double ratio = numerator.get() / denominator.get();
    return new Row(target2, workload, ours.text(), comparedWith, ratio(ratio),
        goal.met(ratio) ? MET : MISSED);
  }

  static String number(double v) {
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    } else if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    } else if (a >= 0.1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String ratio(double r) {
    return number(r) + " ×";
  }

  static String size(int n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static Map<String, String> params(String... keysAndValues) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
