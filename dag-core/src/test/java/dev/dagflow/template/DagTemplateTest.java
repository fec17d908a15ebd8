package dev.dagflow.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DagTemplateTest {
  private static final DagSpec SPEC = DagSpec.builder("d").node(NodeSpec.task("a", "t")).build();
  private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void holdsItsValues() {
    DagTemplate t = new DagTemplate("scan", 2, Optional.of("p1"), SPEC, AT);
    assertThat(t.name()).isEqualTo("scan");
    assertThat(t.version()).isEqualTo(2);
    assertThat(t.project()).contains("p1");
    assertThat(t.spec()).isSameAs(SPEC);
    assertThat(t).isEqualTo(new DagTemplate("scan", 2, Optional.of("p1"), SPEC, AT));
    assertThat(t.toString()).contains("scan version 2", "project=p1");
  }

  @Test
  void refusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> new DagTemplate("a b", 1, Optional.empty(), SPEC, AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> new DagTemplate("a", 0, Optional.empty(), SPEC, AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> new DagTemplate("a", 1, Optional.of(""), SPEC, AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project");
    assertThatThrownBy(() -> new DagTemplate("a", 1, Optional.empty(), null, AT))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("spec");
    assertThatThrownBy(() -> new DagTemplate(null, 1, Optional.empty(), SPEC, AT))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
  }
}
