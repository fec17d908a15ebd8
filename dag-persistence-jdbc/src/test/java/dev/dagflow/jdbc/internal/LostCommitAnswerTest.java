package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A commit that succeeds but whose answer is lost (the connection drops just after): the engine
 * gives the same write to the store again, and the store recognises it by its write id instead
 * of appending its transitions twice. The fault is a real {@link DataSource} around the test's
 * pool whose connections commit and then throw, once.
 */
abstract class LostCommitAnswerTest {
  abstract TestDatabase database();

  /** The test's pool, with connections that lose the answer to the next commit when asked. */
  private static DataSource losingAnswers(DataSource inner, AtomicBoolean loseNext) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(inner, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection real = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, m, a) -> {
                Object r = invoke(real, m, a);
                if (m.getName().equals("commit") && loseNext.compareAndSet(true, false)) {
                  throw new SQLException("injected: the answer to the commit was lost", "08006");
                }
                return r;
              });
        });
  }

  private static Object invoke(Object target, Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aWriteGivenAgainAfterItsCommitsAnswerWasLostIsAppliedOnce() {
    database().clear();
    AtomicBoolean loseNext = new AtomicBoolean();
    JdbcContext context = database().context();
    JdbcRunStore store = new JdbcRunStore(JdbcContext.of(
        losingAnswers(database().dataSource(), loseNext), context.dialect(), context.tables(),
        context.url()));
    DagSpec spec = DagSpec.builder("one").node(NodeSpec.task("a", "t")).build();
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    RunRecord run = new RunRecord("r-1", spec, JsonNodeFactory.instance.objectNode(),
        RunState.PENDING, "worker-global", Optional.empty(), Optional.empty(), 0, 0, t0,
        Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(),
        Optional.empty());
    Lease lease = store.create(run, "engine-a", Duration.ofMinutes(1));
    RunChanges changes = RunChanges.builder("r-1", lease.fence())
        .status(run.withState(RunState.RUNNING, t0).status())
        .transition(new StateTransition("r-1", "a", 0, NodeState.PENDING, NodeState.READY,
            "ready", TriggerType.SYSTEM, null, t0))
        .build();

    loseNext.set(true);
    assertThatThrownBy(() -> store.apply(changes)).isInstanceOf(StoreException.class)
        .hasMessageContaining("the answer to the commit was lost");
    assertThat(store.transitionCount("r-1")).isEqualTo(1); // it was committed all the same

    store.apply(changes); // the engine's retry: the same write
    assertThat(store.transitionCount("r-1")).isEqualTo(1);
    assertThat(store.run("r-1").orElseThrow().state()).isEqualTo(RunState.RUNNING);

    // another write with the same content is another write
    store.apply(RunChanges.builder("r-1", lease.fence())
        .transition(new StateTransition("r-1", "a", 0, NodeState.PENDING, NodeState.READY,
            "ready", TriggerType.SYSTEM, null, t0)).build());
    assertThat(store.transitionCount("r-1")).isEqualTo(2);
  }
}
