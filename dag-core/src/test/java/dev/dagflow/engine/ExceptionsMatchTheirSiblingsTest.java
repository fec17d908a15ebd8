package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static dev.dagflow.engine.EventTriggersTest.oneNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidTriggerException;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import dev.dagflow.trigger.UnknownTriggerException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the catalog and the trigger registry gets the exception its siblings get, never
 * a store exception, and is refused when saved rather than failing later.
 */
class ExceptionsMatchTheirSiblingsTest {

  @Test
  void aTemplateThatWouldMoveToAnotherProjectIsAnInvalidTemplate() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"), oneNode("scan", "a"));
      assertThatThrownBy(() -> h.engine.templates().save("scan", Optional.of("beta"),
          oneNode("scan", "b"))).isInstanceOfSatisfying(InvalidTemplateException.class,
              e -> assertThat(e.name()).isEqualTo("scan"))
          .hasMessageContaining("project 'acme'").hasMessageContaining("project 'beta'")
          .hasMessageContaining("cannot move");
      assertThatThrownBy(() -> h.engine.templates().save("scan", Optional.empty(),
          oneNode("scan", "a"))).isInstanceOf(InvalidTemplateException.class)
          .hasMessageContaining("no project (global)");
      assertThat(h.engine.templates().versions("scan")).extracting(DagTemplate::version)
          .containsExactly(1);
    }
  }

  @Test
  void theCountersOfAnUnknownTriggerAreAnUnknownTrigger() {
    try (Harness h = new Harness("t")) {
      assertThatThrownBy(() -> h.engine.triggers().counters("nope"))
          .isInstanceOfSatisfying(UnknownTriggerException.class,
              e -> assertThat(e.triggerId()).isEqualTo("nope"))
          .hasMessageContaining("'nope'");
    }
  }

  @Test
  void aGlobalTriggerAimedAtAProjectTemplateIsRefusedWhenSaved() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"), oneNode("scan", "a"));
      h.engine.templates().save("any", Optional.empty(), oneNode("any", "a"));
      EventTrigger.Builder global = EventTrigger.builder("g").eventType("asset_created");
      assertThatThrownBy(() -> h.engine.triggers().save(global.template("scan").build()))
          .isInstanceOfSatisfying(InvalidTriggerException.class,
              e -> assertThat(e.field()).isEqualTo("template"))
          .hasMessageContaining("global trigger 'g'").hasMessageContaining("project 'acme'");
      assertThat(h.engine.triggers().list()).isEmpty();
      assertThat(h.engine.emit(Event.builder("asset_created").project("beta").build())).isEmpty();

      // aimed at a global template, it starts runs for every project's events
      h.engine.triggers().save(global.template("any").build());
      assertThat(h.engine.emit(Event.builder("asset_created").project("beta")
          .payload(json("{}")).build())).singleElement()
          .satisfies(f -> assertThat(f.outcome()).isEqualTo(Outcome.STARTED));
    }
  }

  @Test
  void aProjectTriggerAimedAtAnotherProjectsTemplateIsAnInvalidTrigger() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"), oneNode("scan", "a"));
      assertThatThrownBy(() -> h.engine.triggers().save(EventTrigger.builder("b")
          .project("beta").eventType("asset_created").template("scan").build()))
          .isInstanceOfSatisfying(InvalidTriggerException.class,
              e -> assertThat(e.field()).isEqualTo("template"))
          .hasMessageContaining("project 'beta'").hasMessageContaining("project 'acme'");
      h.engine.triggers().save(EventTrigger.builder("a").project("acme")
          .eventType("asset_created").template("scan").build());
      assertThat(h.engine.triggers().list()).extracting(EventTrigger::id).containsExactly("a");
    }
  }
}
