package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.state.RunState;
import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunCommand.Kind;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RunStore} contract about commands: operations asked of a run by an
 * instance that does not own it, stored for the owner, which consumes each once in the write
 * of its effects. Extended by {@link RunPagesContract} and so by {@link RunStoreContract}.
 */
public abstract class RunCommandContract extends RunLeaseContract {

  private static RunCommand command(String id, String runId, Kind kind, long at) {
    Optional<String> node = kind.hasNode() ? Optional.of("n1") : Optional.empty();
    Optional<ObjectNode> patch = kind == Kind.UPDATE_CONFIG
        ? Optional.of(JsonNodeFactory.instance.objectNode().put("size", 2)) : Optional.empty();
    return RunCommand.of(id, runId, kind, node, patch, "ops", at(at));
  }

  private static CommandOutcome applied(String id) {
    return new CommandOutcome(id, CommandOutcome.Result.APPLIED, Optional.empty(),
        Optional.empty(), at(90));
  }

  @Test
  void aStoredCommandWaitsForItsOwnerAndReadsBackWhole() {
    createFor("r-1", 0, LIVE);
    RunCommand update = command("c-1", "r-1", Kind.UPDATE_CONFIG, 10);
    store.addCommand(update);

    assertThat(store.command("c-1")).contains(update);
    assertThat(store.pendingCommands(OWNER)).containsExactly(update);
    assertThat(store.pendingCommands(OTHER)).as("only the owner's runs").isEmpty();
    assertThat(store.command("c-1").orElseThrow().patch().orElseThrow().path("size").asInt())
        .isEqualTo(2);
    assertThat(store.command("nope")).isEmpty();
  }

  @Test
  void pendingCommandsAreTheOwnersOldestFirstAcrossItsRuns() {
    createFor("r-1", 0, LIVE);
    createFor("r-2", 1, LIVE);
    store.addCommand(command("c-b", "r-2", Kind.PAUSE, 30));
    store.addCommand(command("c-a", "r-1", Kind.STOP, 20));
    store.addCommand(command("c-c", "r-1", Kind.RESUME, 30));

    assertThat(store.pendingCommands(OWNER)).extracting(RunCommand::id)
        .containsExactly("c-a", "c-b", "c-c");
  }

  @Test
  void theCommandsOfARunFollowItsLeaseToANewOwner() {
    createFor("r-1", 0, Duration.ZERO); // expired at once
    store.addCommand(command("c-1", "r-1", Kind.PAUSE, 10));
    assertThat(store.pendingCommands(OWNER)).hasSize(1); // held, even expired
    store.claim(OTHER, 10, LIVE);
    assertThat(store.pendingCommands(OWNER)).isEmpty();
    assertThat(store.pendingCommands(OTHER)).extracting(RunCommand::id).containsExactly("c-1");
  }

  @Test
  void aCommandIsConsumedOnceInTheWriteOfItsEffects() {
    Lease lease = createFor("r-1", 0, LIVE);
    store.addCommand(command("c-1", "r-1", Kind.PAUSE, 10));
    store.apply(RunChanges.builder("r-1", lease.fence())
        .status(store.run("r-1").orElseThrow().withState(RunState.PAUSED, at(90)).status())
        .commandOutcome(applied("c-1")).build());

    assertThat(store.pendingCommands(OWNER)).isEmpty();
    assertThat(store.command("c-1").orElseThrow().outcome()).contains(applied("c-1"));
    assertThat(store.run("r-1").orElseThrow().state())
        .isEqualTo(RunState.PAUSED);

    // consumed: a second outcome is refused, with the rest of its write
    assertThatThrownBy(() -> store.apply(RunChanges.builder("r-1", lease.fence())
        .history(new HistoryEntry("r-1", Optional.empty(), "run.resume", "ops",
            NullNode.instance, NullNode.instance, at(95)))
        .commandOutcome(applied("c-1")).build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("c-1");
    assertThat(store.history("r-1")).isEmpty();
  }

  @Test
  void anOutcomeOfAnotherRunsCommandIsRefusedAndWritesNothing() {
    Lease one = createFor("r-1", 0, LIVE);
    createFor("r-2", 1, LIVE);
    store.addCommand(command("c-2", "r-2", Kind.PAUSE, 10));

    assertThatThrownBy(() -> store.apply(RunChanges.builder("r-1", one.fence())
        .commandOutcome(applied("c-2")).build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("c-2");
    assertThatThrownBy(() -> store.apply(RunChanges.builder("r-1", one.fence())
        .commandOutcome(applied("never-added")).build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("never-added");
    assertThat(store.command("c-2").orElseThrow().outcome()).isEmpty();
    assertThat(store.pendingCommands(OWNER)).extracting(RunCommand::id).containsExactly("c-2");
  }

  @Test
  void aFencedOffOwnerCannotConsumeACommand() {
    Lease first = createFor("r-1", 0, Duration.ZERO);
    store.addCommand(command("c-1", "r-1", Kind.STOP, 10));
    store.claim(OTHER, 10, LIVE);

    assertThatThrownBy(() -> store.apply(RunChanges.builder("r-1", first.fence())
        .commandOutcome(applied("c-1")).build()))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.pendingCommands(OTHER)).extracting(RunCommand::id).containsExactly("c-1");
  }

  @Test
  void aCommandForAnUnknownRunADuplicateIdOrWithAnOutcomeIsRefused() {
    createFor("r-1", 0, LIVE);
    store.addCommand(command("c-1", "r-1", Kind.STOP, 10));

    assertThatThrownBy(() -> store.addCommand(command("c-2", "nope", Kind.STOP, 10)))
        .isInstanceOf(StoreException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> store.addCommand(command("c-1", "r-1", Kind.PAUSE, 11)))
        .isInstanceOf(StoreException.class).hasMessageContaining("c-1");
    assertThatThrownBy(() -> store.addCommand(command("c-3", "r-1", Kind.STOP, 12)
        .withOutcome(applied("c-3")))).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.pendingCommands(OWNER)).extracting(RunCommand::kind)
        .containsExactly(Kind.STOP);
  }

  @Test
  void concurrentAddsAndConsumesLoseNoCommand() throws Exception {
    Lease lease = createFor("r-1", 0, LIVE);
    int threads = 8;
    int each = 50;
    onThreads(threads, thread -> {
      for (int i = 0; i < each; i++) {
        store.addCommand(command("c-" + thread + "-" + i, "r-1", Kind.PAUSE, i));
      }
      return null;
    });
    List<RunCommand> pending = store.pendingCommands(OWNER);
    assertThat(pending).hasSize(threads * each);
    // consume them on 8 threads, one write each, while more are added: none lost, none twice
    onThreads(threads, thread -> {
      if (thread % 2 == 0) {
        for (int i = thread; i < pending.size(); i += threads) {
          store.apply(RunChanges.builder("r-1", lease.fence())
              .commandOutcome(applied(pending.get(i).id())).build());
        }
      } else {
        for (int i = 0; i < each; i++) {
          store.addCommand(command("d-" + thread + "-" + i, "r-1", Kind.RESUME, 100 + i));
        }
      }
      return null;
    });
    List<RunCommand> left = store.pendingCommands(OWNER);
    assertThat(left).filteredOn(c -> c.kind() == Kind.PAUSE).hasSize(threads * each / 2);
    assertThat(left).filteredOn(c -> c.kind() == Kind.RESUME).hasSize(threads / 2 * each);
    assertThat(left).extracting(RunCommand::id).doesNotHaveDuplicates();
  }

  @Test
  void aWithdrawnCommandIsNeverAppliedAndAnAnsweredOneCannotBeWithdrawn() {
    Lease lease = createFor("r-1", 0, LIVE);
    store.addCommand(command("c-1", "r-1", Kind.STOP, 10));
    store.addCommand(command("c-2", "r-1", Kind.PAUSE, 11));

    RunCommand withdrawn = store.cancelCommand("c-1", at(50)).orElseThrow();
    assertThat(withdrawn.outcome().orElseThrow().result())
        .isEqualTo(CommandOutcome.Result.CANCELLED);
    assertThat(store.pendingCommands(OWNER)).extracting(RunCommand::id).containsExactly("c-2");
    assertThatThrownBy(() -> store.apply(RunChanges.builder("r-1", lease.fence())
        .commandOutcome(applied("c-1")).build())).isInstanceOf(StoreException.class);

    store.apply(RunChanges.builder("r-1", lease.fence()).commandOutcome(applied("c-2")).build());
    assertThat(store.cancelCommand("c-2", at(60)).orElseThrow().outcome())
        .as("the owner's outcome stands").contains(applied("c-2"));
    assertThat(store.cancelCommand("c-1", at(70))).contains(withdrawn);
    assertThat(store.cancelCommand("nope", at(70))).isEmpty();
    assertThat(store.pendingCommands(OWNER)).isEmpty();
  }

  @Test
  void aTakenCommandCannotBeWithdrawnAndStaysPendingUntilConsumed() {
    Lease lease = createFor("r-1", 0, LIVE);
    store.addCommand(command("c-1", "r-1", Kind.STOP, 10));

    assertThat(store.takeCommand("c-1", OWNER)).isTrue();
    RunCommand taken = store.cancelCommand("c-1", at(20)).orElseThrow();
    assertThat(taken.outcome()).as("not withdrawn: its owner applies it").isEmpty();
    assertThat(taken.takenBy()).contains(OWNER);
    assertThat(store.pendingCommands(OWNER)).extracting(RunCommand::id).containsExactly("c-1");

    store.apply(RunChanges.builder("r-1", lease.fence()).commandOutcome(applied("c-1")).build());
    assertThat(store.takeCommand("c-1", OTHER)).as("consumed").isFalse();
    assertThat(store.pendingCommands(OWNER)).isEmpty();
  }

  @Test
  void aWithdrawnCommandCannotBeTaken() {
    createFor("r-1", 0, LIVE);
    store.addCommand(command("c-1", "r-1", Kind.PAUSE, 10));
    store.cancelCommand("c-1", at(20));
    assertThat(store.takeCommand("c-1", OWNER)).isFalse();
    assertThat(store.takeCommand("nope", OWNER)).isFalse();
  }
}
