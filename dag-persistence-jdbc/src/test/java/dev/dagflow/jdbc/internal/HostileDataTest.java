package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunSummary;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data meant to break SQL or text handling, stored and read back exactly by every store where
 * the model lets it in (ids of templates, policies, triggers and projects follow the id rule;
 * event ids, event types, log run and node ids, messages, errors and every JSON value are free
 * text; node ids are at most 128 characters, the length the id rule gives them). Unpaired
 * surrogates are left out: no UTF-8 column can hold them. Subclassed per database.
 */
abstract class HostileDataTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");

  /** Strings that have broken stores: quotes, injections, wildcards, unicode, control bytes. */
  static final List<String> HOSTILE = List.of(
      "'", "''", "\"", "\\", "\\'", "'; DROP TABLE x; --", "\"; DROP TABLE x; --",
      "Robert'); DROP TABLE students;--", "%", "_", "%_\\%", "${prefix}", "?", "$1", ":name",
      "/* comment */", "-- comment", "a;b", "\t\n\r", "line\nbreak", "\u2028\u2029",
      "trailing space ", " leading space", "MixedCase", "mixedcase",
      "e\u0301", "\u00e9", "\uD83D\uDE80\uD83D\uDD25",
      "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u6F22\u5B57",
      "\u05E2\u05D1\u05E8\u05D9\u05EA", binaryLooking(), "\uFFFD\uFFFF\uFEFF",
      "\u0001\u0002\u001F\u007F");

  private TemplateStoreAccess stores;

  /** The class's database, migrated. */
  abstract TestDatabase database();

  @BeforeEach
  void emptyDatabase() {
    database().clear();
    stores = new TemplateStoreAccess(database().context());
  }

  /** Every char from 1 to 255: bytes read as Latin-1 text, without NUL (PostgreSQL refuses it). */
  private static String binaryLooking() {
    StringBuilder b = new StringBuilder();
    for (char c = 1; c < 256; c++) {
      b.append(c);
    }
    return b.toString();
  }

  /** About 1 MiB of characters, many of them outside ASCII and some outside the BMP. */
  static String oneMegabyte() {
    StringBuilder b = new StringBuilder(1 << 20);
    int i = 0;
    while (b.length() < (1 << 20)) {
      b.append(HOSTILE.get(i++ % HOSTILE.size()));
    }
    return b.toString();
  }

  private static ObjectNode hostileObject() {
    ObjectNode node = JSON.objectNode();
    for (int i = 0; i < HOSTILE.size(); i++) {
      node.put(HOSTILE.get(i), HOSTILE.get((i + 1) % HOSTILE.size()));
    }
    node.putArray("all").addAll(HOSTILE.stream().map(JSON::textNode).toList());
    return node;
  }

  @Test
  void logLinesOfHostileRunsNodesAndMessagesReadBackExactly() {
    JdbcLogStore logs = new JdbcLogStore(database().context());
    List<LogEntry> written = new ArrayList<>();
    for (String runId : HOSTILE) {
      List<LogEntry> lines = new ArrayList<>();
      long seq = 1;
      for (String text : HOSTILE) {
        lines.add(new LogEntry(runId, seq++, Optional.of(node(text)), 1, LogLevel.WARN, text,
            AT));
      }
      lines.add(new LogEntry(runId, seq, Optional.empty(), 0, LogLevel.ERROR, runId, AT));
      assertThat(logs.append(List.of(new LogBatch(runId, new Fence(runId, 1), lines)))).isEmpty();
      written.addAll(lines);
    }

    List<LogEntry> read = new ArrayList<>();
    for (String runId : HOSTILE) {
      read.addAll(logs.query(LogQuery.of(runId)));
      assertThat(logs.query(LogQuery.of(runId).node(node(runId)))).extracting(LogEntry::message)
          .containsExactly(runId);
    }
    assertThat(read).isEqualTo(written);
    assertThat(database().tables()).noneMatch(t -> t.equalsIgnoreCase("x"));
  }

  /** {@code text} as a node id: at most 128 characters, as the id rule keeps node ids. */
  private static String node(String text) {
    return text.length() <= 128 ? text : text.substring(0, 128);
  }

  @Test
  void aOneMegabyteLogMessageReadsBackExactly() {
    JdbcLogStore logs = new JdbcLogStore(database().context());
    String message = oneMegabyte();
    LogEntry line = new LogEntry("big", 1, Optional.of("n"), 1, LogLevel.INFO, message, AT);
    LogEntry after = new LogEntry("big", 2, Optional.empty(), 0, LogLevel.INFO, "after", AT);
    logs.append(List.of(new LogBatch("big", new Fence("e", 1), List.of(line, after))));

    List<LogEntry> read = logs.query(LogQuery.of("big"));
    assertThat(read).hasSize(2);
    assertThat(read.get(0).message()).hasSize(message.length());
    assertThat(read.get(0)).isEqualTo(line);
    assertThat(read.get(1)).isEqualTo(after);
  }

  @Test
  void idsDifferingInCaseTrailingSpaceOrNormalizationAreKeptApart() {
    JdbcTriggerStore triggers = new JdbcTriggerStore(database().context());
    triggers.save(EventTrigger.builder("t").eventType("x").template("scan").build());
    List<String> ids = List.of("e", "E", "e ", " e", "\u00e9", "e\u0301", "\uD83D\uDE80");
    for (String id : ids) {
      assertThat(triggers.markProcessed("t", id)).as(id).isTrue();
    }
    for (String id : ids) {
      assertThat(triggers.markProcessed("t", id)).as(id).isFalse();
      assertThat(triggers.isProcessed("t", id)).as(id).isTrue();
    }
    assertThat(triggers.isProcessed("t", "e  ")).isFalse();
  }

  @Test
  void triggersEventsAndErrorsWithHostileTextReadBackExactly() {
    JdbcTriggerStore triggers = new JdbcTriggerStore(database().context());
    ObjectNode filter = JSON.objectNode();
    filter.putArray("payload.name").addAll(HOSTILE.stream().map(JSON::textNode).toList());
    EventTrigger trigger = EventTrigger.builder("hostile").project("p-1")
        .eventType(String.join("", HOSTILE)).filter(filter).template("scan")
        .map(HOSTILE.get(5), "payload.name").build();
    triggers.save(trigger);
    assertThat(triggers.get("hostile")).contains(trigger);

    String error = oneMegabyte();
    triggers.recordStart("hostile", false, Optional.of(error), AT);
    assertThat(triggers.counters("hostile").lastError()).contains(error);

    for (String id : HOSTILE) {
      if (id.isBlank()) {
        continue; // an event's id and type must not be blank
      }
      Event event = Event.builder(id).id(id).project("p-1").payload(hostileObject()).cause(id)
          .time(AT).depth(3).build();
      triggers.queue("hostile", event);
      assertThat(triggers.queued("hostile")).contains(event);
      assertThat(triggers.markProcessed("hostile", id)).isTrue();
      assertThat(triggers.isProcessed("hostile", id)).isTrue();
    }
    assertThat(triggers.unqueue("hostile", HOSTILE.get(HOSTILE.size() - 1))).isTrue();
  }

  @Test
  void templatesAndPoliciesWithHostileConfigsReadBackExactly() {
    ObjectNode config = hostileObject();
    DagSpec spec = DagSpec.builder("hostile").name(String.join(" ", HOSTILE)).metadata(config)
        .node(NodeSpec.task("n.1:-_", HOSTILE.get(5)).config(config)).build();
    DagTemplate saved = stores.templates.save("hostile", Optional.of("p-1"), spec, AT);
    assertThat(stores.templates.get("hostile", 1)).contains(saved);
    assertThat(stores.templates.latest("hostile").orElseThrow().spec()).isEqualTo(spec);
    assertThat(stores.templates.save("hostile", Optional.of("p-1"), spec, AT.plusSeconds(1)))
        .isEqualTo(saved);

    ExecutionPolicy.Builder b = ExecutionPolicy.builder("hostile").project("p-1");
    for (String type : HOSTILE) {
      if (!type.isBlank()) {
        b.defaultConfig(type, config);
      }
    }
    ExecutionPolicy policy = b.build();
    stores.policies.save(policy);
    assertThat(stores.policies.get("hostile")).contains(policy);
  }

  @Test
  void runsWithHostileParamsConfigsResultsAndTextReadBackExactly() {
    JdbcRunStore runs = new JdbcRunStore(database().context());
    ObjectNode config = hostileObject();
    String big = oneMegabyte();
    DagSpec spec = DagSpec.builder("hostile").name(String.join(" ", HOSTILE)).metadata(config)
        .node(NodeSpec.task("n.1:-_", HOSTILE.get(5)).config(config)).build();
    String runId = "r'; DROP TABLE x; --\"%_\\\uD83D\uDE80\u6F22 ";
    RunRecord run = new RunRecord(runId, spec, hostileObject(), RunState.PENDING,
        "worker-" + HOSTILE.get(5), Optional.of("p-1"), Optional.of("t-1"), 1, 0, AT,
        Optional.empty(), Optional.empty(), Optional.of(HOSTILE.get(6)), 0,
        Optional.of("trigger:x/a%_b'\uD83D\uDE80"),
        Optional.of("k';DROP/**/TABLE/x;--\"%_\\"));
    Lease lease = runs.create(run, HOSTILE.get(5), Duration.ofMinutes(1));
    assertThat(runs.run(runId)).contains(run);
    NodeRecord node = new NodeRecord(runId, "n.1:-_", NodeState.FAILED, 1, 0, 100,
        Optional.of(AT), Optional.of(AT), Optional.empty(), Optional.of(hostileObject()),
        Optional.of(String.join("", HOSTILE)), Optional.of(big), Optional.of(config));
    AttemptRecord attempt = new AttemptRecord(runId, "n.1:-_", 1, AT, Optional.of(AT),
        AttemptOutcome.FAILED, Optional.of(hostileObject()), Optional.of(HOSTILE.get(5)),
        Optional.of(big), Optional.of(HOSTILE.get(7).trim() + "ref"));
    List<StateTransition> transitions = new ArrayList<>();
    List<HistoryEntry> history = new ArrayList<>();
    for (String text : HOSTILE) {
      transitions.add(new StateTransition(runId, "n.1:-_", 1, NodeState.RUNNING,
          NodeState.FAILED, text, TriggerType.USER, text, AT));
      history.add(new HistoryEntry(runId, Optional.of("n.1:-_"), text, text,
          JSON.textNode(text), hostileObject(), AT));
    }
    RunChanges.Builder changes = RunChanges.builder(runId, lease.fence()).node(node)
        .attempt(attempt);
    transitions.forEach(changes::transition);
    history.forEach(changes::history);
    runs.apply(changes.build());
    assertThat(runs.nodes(runId)).containsExactly(node);
    assertThat(runs.attempts(runId)).containsExactly(attempt);
    assertThat(runs.transitions(runId)).containsExactlyElementsOf(transitions);
    assertThat(runs.history(runId)).containsExactlyElementsOf(history);
    assertThat(runs.list(RunQuery.all().startKeyPrefix("trigger:x/a%_")).items())
        .extracting(RunSummary::runId).containsExactly(runId);
    // as LIKE wildcards these would match the key: as plain characters they do not
    assertThat(runs.list(RunQuery.all().startKeyPrefix("trigger:x/a%%")).items()).isEmpty();
    assertThat(runs.list(RunQuery.all().startKeyPrefix("trigger:x/_")).items()).isEmpty();

    RunCommand command = RunCommand.of(HOSTILE.get(6) + "c", runId,
        RunCommand.Kind.UPDATE_CONFIG, Optional.of("n.1:-_"), Optional.of(config),
        String.join("", HOSTILE), AT);
    runs.addCommand(command);
    assertThat(runs.command(command.id())).contains(command);
  }

  /** The template and policy stores of one context. */
  private static final class TemplateStoreAccess {
    final JdbcTemplateStore templates;
    final JdbcPolicyStore policies;

    TemplateStoreAccess(JdbcContext context) {
      templates = new JdbcTemplateStore(context);
      policies = new JdbcPolicyStore(context);
    }
  }
}
