package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static dev.dagflow.store.contract.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TemplateStore}: implementations subclass it with a factory of empty
 * stores.
 */
public abstract class TemplateStoreContract {
  private static final DagSpec ONE = spec("scan", 1);
  private static final DagSpec TWO = spec("scan", 2);
  private static final DagSpec THREE = spec("scan", 3);
  private static final Optional<String> P1 = Optional.of("p1");

  protected TemplateStore store;

  /** A new, empty store. */
  protected abstract TemplateStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void theFirstSaveIsVersionOneWithEveryField() {
    DagTemplate saved = store.save("scan", P1, ONE, at(0));
    assertThat(saved).isEqualTo(new DagTemplate("scan", 1, P1, ONE, at(0)));
    assertThat(store.get("scan", 1)).contains(saved);
    assertThat(store.latest("scan")).contains(saved);
    assertThat(store.versions("scan")).containsExactly(saved);
  }

  @Test
  void savingTheLatestSpecAgainReturnsThatVersionUnchanged() {
    DagTemplate first = store.save("scan", P1, ONE, at(0));
    DagTemplate again = store.save("scan", P1, spec("scan", 1), at(500));
    assertThat(again).isEqualTo(first);
    assertThat(again.createdAt()).isEqualTo(at(0));
    assertThat(store.versions("scan")).containsExactly(first);
  }

  @Test
  void aChangedSpecMakesTheNextVersionAndKeepsTheOldOnes() {
    DagTemplate v1 = store.save("scan", P1, ONE, at(0));
    DagTemplate v2 = store.save("scan", P1, TWO, at(10));
    assertThat(v2).isEqualTo(new DagTemplate("scan", 2, P1, TWO, at(10)));
    assertThat(store.get("scan", 1)).contains(v1);
    assertThat(store.get("scan", 2)).contains(v2);
    assertThat(store.latest("scan")).contains(v2);
    assertThat(store.versions("scan")).containsExactly(v1, v2);
  }

  @Test
  void onlyTheLatestVersionIsComparedSoAnOldSpecMakesANewVersion() {
    store.save("scan", P1, ONE, at(0));
    store.save("scan", P1, TWO, at(10));
    DagTemplate v3 = store.save("scan", P1, ONE, at(20));
    assertThat(v3.version()).isEqualTo(3);
    assertThat(v3.spec()).isEqualTo(ONE);
    assertThat(store.versions("scan")).extracting(DagTemplate::version).containsExactly(1, 2, 3);
  }

  @Test
  void aTemplateCannotChangeItsProject() {
    store.save("scan", P1, ONE, at(0));
    store.save("global", Optional.empty(), ONE, at(0));
    assertThatThrownBy(() -> store.save("scan", Optional.of("p2"), TWO, at(1)))
        .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("scan");
    assertThatThrownBy(() -> store.save("scan", Optional.empty(), TWO, at(1)))
        .isInstanceOf(InvalidTemplateException.class);
    assertThatThrownBy(() -> store.save("scan", Optional.of("p2"), ONE, at(1)))
        .isInstanceOf(InvalidTemplateException.class);
    assertThatThrownBy(() -> store.save("global", P1, TWO, at(1)))
        .isInstanceOf(InvalidTemplateException.class);
    assertThat(store.versions("scan")).hasSize(1);
    assertThat(store.latest("global").orElseThrow().project()).isEmpty();
  }

  @Test
  void unknownNamesAndVersionsAreEmpty() {
    store.save("scan", P1, ONE, at(0));
    assertThat(store.get("scan", 2)).isEmpty();
    assertThat(store.get("scan", 0)).isEmpty();
    assertThat(store.get("scan", -1)).isEmpty();
    assertThat(store.get("nope", 1)).isEmpty();
    assertThat(store.latest("nope")).isEmpty();
    assertThat(store.versions("nope")).isEmpty();
  }

  @Test
  void listHoldsTheLatestOfEachByName() {
    store.save("zeta", Optional.empty(), ONE, at(0));
    store.save("alpha", P1, ONE, at(0));
    DagTemplate alpha2 = store.save("alpha", P1, TWO, at(5));
    DagTemplate zeta = store.latest("zeta").orElseThrow();
    DagTemplate mid = store.save("mid", Optional.of("p2"), THREE, at(9));
    assertThat(store.list()).containsExactly(alpha2, mid, zeta);
  }

  @Test
  void deleteRemovesEveryVersionAndANewSaveStartsOver() {
    store.save("scan", P1, ONE, at(0));
    store.save("scan", P1, TWO, at(1));
    assertThat(store.delete("scan")).isTrue();
    assertThat(store.delete("scan")).isFalse();
    assertThat(store.latest("scan")).isEmpty();
    assertThat(store.get("scan", 1)).isEmpty();
    assertThat(store.list()).isEmpty();
    DagTemplate fresh = store.save("scan", Optional.of("p2"), THREE, at(2));
    assertThat(fresh).isEqualTo(new DagTemplate("scan", 1, Optional.of("p2"), THREE, at(2)));
  }

  @Test
  void badNamesAndProjectsAreRefused() {
    assertThatThrownBy(() -> store.save("bad name", P1, ONE, at(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> store.save("ok", Optional.of("bad/project"), ONE, at(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project");
    assertThatThrownBy(() -> store.save("ok", P1, null, at(0)))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.list()).isEmpty();
  }

  @Test
  void listsAreUnmodifiable() {
    store.save("scan", P1, ONE, at(0));
    assertThatThrownBy(() -> store.list().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.versions("scan").clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void concurrentSavesOfOneNameMakeEveryVersionOnce() throws Exception {
    int threads = 6;
    int saves = 20;
    onThreads(threads, thread -> {
      for (int i = 0; i < saves; i++) {
        store.save("busy", P1, spec("s-" + thread + "-" + i, 1), at(i));
      }
      return null;
    });
    List<DagTemplate> versions = store.versions("busy");
    assertThat(versions).hasSize(threads * saves);
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).version()).isEqualTo(i + 1);
    }
    assertThat(versions).extracting(v -> v.spec().id()).doesNotHaveDuplicates();
  }
}
