package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.testing.Outcome;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Templates are versioned; a run keeps the spec of the version it started from. */
class TemplateVersionsTest {
  private static final com.fasterxml.jackson.databind.node.ObjectNode NO_PARAMS =
      JsonNodeFactory.instance.objectNode();

  private static DagSpec scan(String... stages) {
    DagSpec.Builder b = DagSpec.builder("scan");
    String previous = null;
    for (String stage : stages) {
      NodeSpec.Builder node = NodeSpec.task(stage, "t");
      if (previous != null) {
        node.dependsOn(previous);
      }
      b.node(node);
      previous = stage;
    }
    return b.build();
  }

  @Test
  void aRunStartedFromVersionOneKeepsItsSpecAfterTheTemplateIsEdited() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagTemplate v1 = h.engine.templates().save("scan", Optional.empty(), scan("dns", "port"));
      String run = h.engine.submit("scan", NO_PARAMS);
      h.await(run);

      DagTemplate v2 = h.engine.templates().save("scan", Optional.empty(),
          scan("dns", "port", "http"));
      DagTemplate same = h.engine.templates().save("scan", Optional.empty(),
          scan("dns", "port", "http"));

      assertThat(v1.version()).isEqualTo(1);
      assertThat(v2.version()).isEqualTo(2);
      assertThat(same.version()).isEqualTo(2);
      RunView old = h.engine.get(run);
      assertThat(old.template()).contains("scan");
      assertThat(old.templateVersion()).isEqualTo(1);
      assertThat(old.spec()).isEqualTo(v1.spec());
      assertThat(old.nodes()).hasSize(2);

      RunView latest = h.await(h.engine.submit("scan", NO_PARAMS));
      assertThat(latest.templateVersion()).isEqualTo(2);
      assertThat(latest.nodes()).hasSize(3);
      RunView pinned = h.await(h.engine.submit("scan", 1, NO_PARAMS));
      assertThat(pinned.templateVersion()).isEqualTo(1);
      assertThat(pinned.state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.list(dev.dagflow.store.RunQuery.all().template("scan")).total())
          .isEqualTo(3);
      assertThat(h.engine.templates().versions("scan")).extracting(DagTemplate::version)
          .containsExactly(1, 2);
    }
  }

  @Test
  void badTemplatesAreRefusedAndNothingIsSaved() {
    try (Harness h = new Harness("t")) {
      assertThatThrownBy(() -> h.engine.submit("nope", NO_PARAMS))
          .isInstanceOf(UnknownTemplateException.class).hasMessageContaining("'nope'");
      h.engine.templates().save("scan", Optional.empty(), scan("dns"));
      assertThatThrownBy(() -> h.engine.submit("scan", 7, NO_PARAMS))
          .isInstanceOf(UnknownTemplateException.class).hasMessageContaining("version 7");
      DagSpec unknownType = DagSpec.builder("x").node(NodeSpec.task("a", "nmap")).build();
      assertThatThrownBy(() -> h.engine.templates().save("x", Optional.empty(), unknownType))
          .isInstanceOf(UnknownTaskTypeException.class).hasMessageContaining("'nmap'");
      DagSpec otherProject = DagSpec.builder("y").scope(DagScope.project("lab", true))
          .node(NodeSpec.task("a", "t")).build();
      assertThatThrownBy(() -> h.engine.templates().save("y", Optional.of("shop"), otherProject))
          .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("'lab'")
          .hasMessageContaining("'shop'");
      assertThat(h.engine.templates().list()).extracting(DagTemplate::name)
          .containsExactly("scan");
      assertThat(h.engine.list(dev.dagflow.store.RunQuery.all()).total()).isZero();
    }
  }

  @Test
  void aProjectTemplatesRunsBelongToItsProject() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("shop"), scan("dns"));
      RunView view = h.await(h.engine.submit("scan", NO_PARAMS));
      assertThat(view.project()).contains("shop");
      assertThat(h.engine.list(dev.dagflow.store.RunQuery.all().project("shop")).total())
          .isEqualTo(1);
    }
  }

  @Test
  void aGlobalTemplateMayNotBeScopedToOneProject() {
    try (Harness h = new Harness("t")) {
      DagSpec lab = DagSpec.builder("y").scope(DagScope.project("lab", true))
          .node(NodeSpec.task("a", "t")).build();
      assertThatThrownBy(() -> h.engine.templates().save("y", Optional.empty(), lab))
          .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("global")
          .hasMessageContaining("'lab'");
      assertThat(h.engine.templates().list()).isEmpty();
    }
  }
}
