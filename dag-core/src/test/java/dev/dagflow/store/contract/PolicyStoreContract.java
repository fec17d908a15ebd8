package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.store.PolicyStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PolicyStore}: implementations subclass it with a factory of empty
 * stores.
 */
public abstract class PolicyStoreContract {
  protected PolicyStore store;

  /** A new, empty store. */
  protected abstract PolicyStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static ExecutionPolicy policy(String name, String project, boolean isDefault) {
    ExecutionPolicy.Builder b = ExecutionPolicy.builder(name).projectDefault(isDefault)
        .maxParallelNodesPerRun(4);
    return (project == null ? b : b.project(project)).build();
  }

  private boolean isDefault(String name) {
    return store.get(name).orElseThrow().isProjectDefault();
  }

  @Test
  void everyFieldRoundTrips() {
    ExecutionPolicy full = ExecutionPolicy.builder("full").project("p1").projectDefault(true)
        .retry(RetryPolicy.builder().maxAttempts(4).backoff(Backoff.EXPONENTIAL)
            .initialDelay(Duration.ofSeconds(2)).multiplier(3).maxDelay(Duration.ofMinutes(5))
            .jitter(0.25).build())
        .nodeTimeout(Duration.ofMinutes(30)).maxParallelNodesPerRun(8)
        .maxConcurrentRunsPerScope(2).failureStrategy(FailureStrategy.FAIL_FAST)
        .defaultConfig("scan", StoreFixtures.json("depth", 3))
        .defaultConfig("http", StoreFixtures.json("timeout", "5s")).build();
    ExecutionPolicy bare = ExecutionPolicy.builder("bare").build();
    store.save(full);
    store.save(bare);
    assertThat(store.get("full")).contains(full);
    assertThat(store.get("bare")).contains(bare);
  }

  @Test
  void anUnknownNameIsEmpty() {
    assertThat(store.get("nope")).isEmpty();
    assertThat(store.delete("nope")).isFalse();
  }

  @Test
  void savingReplacesThePolicyOfTheSameName() {
    store.save(policy("p", "p1", false));
    ExecutionPolicy changed = ExecutionPolicy.builder("p").project("p2")
        .failureStrategy(FailureStrategy.CONTINUE).build();
    store.save(changed);
    assertThat(store.get("p")).contains(changed);
    assertThat(store.list()).containsExactly(changed);
  }

  @Test
  void listIsByName() {
    store.save(policy("m", null, false));
    store.save(policy("b", "p1", false));
    store.save(policy("z", "p2", true));
    store.save(policy("a", null, true));
    assertThat(store.list()).extracting(ExecutionPolicy::name).containsExactly("a", "b", "m", "z");
  }

  @Test
  void aNewDefaultDemotesThePreviousDefaultOfItsProjectOnly() {
    ExecutionPolicy first = policy("first", "p1", true);
    store.save(first);
    store.save(policy("other-project", "p2", true));
    store.save(policy("global", null, true));
    store.save(policy("second", "p1", true));

    assertThat(store.defaultFor(Optional.of("p1"))).map(ExecutionPolicy::name).contains("second");
    assertThat(store.get("first")).contains(first.toBuilder().projectDefault(false).build());
    assertThat(isDefault("other-project")).isTrue();
    assertThat(isDefault("global")).isTrue();
    assertThat(store.defaultFor(Optional.of("p2"))).map(ExecutionPolicy::name)
        .contains("other-project");
    assertThat(store.defaultFor(Optional.empty())).map(ExecutionPolicy::name).contains("global");
  }

  @Test
  void aNewGlobalDefaultDemotesTheGlobalDefaultOnly() {
    store.save(policy("g1", null, true));
    store.save(policy("p", "p1", true));
    store.save(policy("g2", null, true));
    assertThat(isDefault("g1")).isFalse();
    assertThat(isDefault("p")).isTrue();
    assertThat(store.defaultFor(Optional.empty())).map(ExecutionPolicy::name).contains("g2");
  }

  @Test
  void savingAnOrdinaryPolicyDemotesNothing() {
    store.save(policy("d", "p1", true));
    store.save(policy("o", "p1", false));
    assertThat(isDefault("d")).isTrue();
    assertThat(store.defaultFor(Optional.of("p1"))).map(ExecutionPolicy::name).contains("d");
  }

  @Test
  void resavingTheDefaultKeepsItTheDefault() {
    store.save(policy("d", "p1", true));
    ExecutionPolicy changed = policy("d", "p1", true).toBuilder().nodeTimeout(Duration.ofSeconds(9))
        .build();
    store.save(changed);
    assertThat(store.defaultFor(Optional.of("p1"))).contains(changed);
  }

  @Test
  void aProjectWithoutADefaultHasNoneEvenWithAGlobalDefault() {
    store.save(policy("global", null, true));
    store.save(policy("o", "p1", false));
    assertThat(store.defaultFor(Optional.of("p1"))).isEmpty();
    assertThat(store.defaultFor(Optional.of("p9"))).isEmpty();
  }

  @Test
  void noGlobalDefaultWhenOnlyProjectsHaveOne() {
    store.save(policy("d", "p1", true));
    assertThat(store.defaultFor(Optional.empty())).isEmpty();
  }

  @Test
  void deletingTheDefaultLeavesNone() {
    store.save(policy("d", "p1", true));
    assertThat(store.delete("d")).isTrue();
    assertThat(store.delete("d")).isFalse();
    assertThat(store.get("d")).isEmpty();
    assertThat(store.defaultFor(Optional.of("p1"))).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void concurrentDefaultsOfOneProjectLeaveExactlyOne() throws Exception {
    int threads = 6;
    int saves = 40;
    onThreads(threads, thread -> {
      for (int i = 0; i < saves; i++) {
        store.save(policy("t" + thread + "-" + i, "p1", true));
        store.defaultFor(Optional.of("p1"));
      }
      return null;
    });
    assertThat(store.list()).hasSize(threads * saves);
    assertThat(store.list()).filteredOn(ExecutionPolicy::isProjectDefault).hasSize(1);
    assertThat(store.defaultFor(Optional.of("p1"))).isPresent();
  }
}
