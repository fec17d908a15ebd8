package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Stores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An engine on the JDBC stores of each database runs layered DAGs to the end: every node once,
 * every record stored, an engine on a fresh connection reading the same.
 */
abstract class DurableEngineTest {
  abstract TestDatabase database();

  /** {@code layers} layers of {@code width} nodes, each after every node of the layer before. */
  static DagSpec layered(String id, int layers, int width) {
    DagSpec.Builder b = DagSpec.builder(id);
    for (int l = 0; l < layers; l++) {
      for (int w = 0; w < width; w++) {
        NodeSpec.Builder node = NodeSpec.task("n" + l + "_" + w, "work");
        if (l > 0) {
          for (int u = 0; u < width; u++) {
            node.dependsOn("n" + (l - 1) + "_" + u);
          }
        }
        b.node(node);
      }
    }
    return b.build();
  }

  /** The ids in the engine instances table. */
  private List<String> instances() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = database().dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, host, started_at, heartbeat_at FROM "
            + "dagflow_engine_instances")) {
      while (rs.next()) {
        assertThat(rs.getString("host")).isNotBlank();
        assertThat(rs.getLong("heartbeat_at")).isGreaterThanOrEqualTo(rs.getLong("started_at"));
        ids.add(rs.getString("id"));
      }
    }
    return ids;
  }

  @Test
  void runsOfLayeredDagsCompleteWithEveryRecordStored() throws Exception {
    database().clear();
    Stores stores = JdbcStores.builder(database().dataSource()).build();
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    List<String> runs = new ArrayList<>();
    try (DagEngine engine = DagEngine.builder().stores(stores).workersPerScope(8)
        .instanceId("durable-1")
        .leaseTime(Duration.ofSeconds(5)).handler("work", ctx -> {
          executions.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger())
              .incrementAndGet();
          return JsonNodeFactory.instance.objectNode().put("node", ctx.nodeId());
        }).build()) {
      engine.start();
      assertThat(instances()).containsExactly("durable-1"); // its heartbeat, at start
      for (int i = 0; i < 20; i++) {
        runs.add(engine.submit(layered("layered-" + i, 5, 10),
            JsonNodeFactory.instance.objectNode().put("i", i)));
      }
      for (String run : runs) {
        assertThat(engine.await(run, Duration.ofSeconds(60)).state())
            .isEqualTo(RunState.COMPLETED);
      }
    }
    assertThat(executions).hasSize(20 * 50).allSatisfy((key, n) -> assertThat(n.get())
        .as(key).isEqualTo(1));
    Stores reread = JdbcStores.builder(database().newDataSource()).build();
    for (String run : runs) {
      assertThat(reread.runs().run(run).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
      assertThat(reread.runs().nodes(run)).hasSize(50).extracting(NodeRecord::state)
          .containsOnly(NodeState.COMPLETED);
      assertThat(reread.runs().attempts(run)).hasSize(50).extracting(AttemptRecord::attempt)
          .containsOnly(1);
      // PENDING -> READY -> INITIALIZING -> RUNNING -> COMPLETED for every node
      assertThat(reread.runs().transitionCount(run)).isEqualTo(50 * 4);
      assertThat(reread.runs().transitions(run)).hasSize(50 * 4)
          .filteredOn(t -> t.to() == NodeState.COMPLETED).hasSize(50);
      assertThat(reread.runs().lease(run)).isEmpty();
    }
  }

  @Test
  void aTargetRunIsStoredWithItsTargetsAndExplainedAfterARestart() throws Exception {
    database().clear();
    DagSpec spec = layered("targets", 3, 2); // n0_*, n1_* after every n0_*, n2_* after n1_*
    String run;
    try (DagEngine engine = DagEngine.builder().stores(JdbcStores.builder(
        database().dataSource()).build()).instanceId("targets-1")
        .handler("work", ctx -> null).build()) {
      engine.start();
      run = engine.submit(SubmitRequest.builder().spec(spec).targets(List.of("n1_0")).build());
      assertThat(engine.await(run, Duration.ofSeconds(60)).state())
          .isEqualTo(RunState.COMPLETED);
    }
    Stores reread = JdbcStores.builder(database().newDataSource()).build();
    assertThat(reread.runs().run(run).orElseThrow().spec().targets()).containsExactly("n1_0");
    try (DagEngine engine = DagEngine.builder().stores(reread).instanceId("targets-2")
        .handler("work", ctx -> null).build()) {
      engine.start();
      assertThat(engine.get(run).nodeStates()).containsEntry("n0_0", NodeState.COMPLETED)
          .containsEntry("n0_1", NodeState.COMPLETED).containsEntry("n1_0", NodeState.COMPLETED)
          .containsEntry("n1_1", NodeState.SKIPPED).containsEntry("n2_0", NodeState.SKIPPED);
      assertThat(engine.explain(run, "n2_1").reason())
          .hasValue("not needed for target 'n1_0'");
    }
  }
}
