package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.CommandTimeoutException;
import dev.dagflow.engine.NodeOperationException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.CommandOutcome.Result;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunStore;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control operations on runs another instance owns: the asking engine stores a {@link
 * RunCommand} and waits for its outcome; the owner looks for the commands of its runs on a
 * timer of its own and applies each in one step of the run, whose write consumes the command
 * with the operation's effects, so it is applied exactly once. Thread-safe.
 */
final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private final RunServices services;
  private final RunStore runs;
  private final String owner;
  private final Duration interval;
  private final Duration timeout;
  private volatile boolean closed;

  Commands(RunServices services, RunStore runs, String owner, Duration interval, Duration timeout) {
    this.services = services;
    this.runs = runs;
    this.owner = owner;
    this.interval = interval;
    this.timeout = timeout;
  }

  /** Looks for commands every interval from now on. */
  void start() {
    schedule();
  }

  void close() {
    closed = true;
  }

  private void schedule() {
    if (!closed) {
      TimeSource timer = services.leases().timer();
      timer.schedule(timer.now().plus(interval), this::tick);
    }
  }

  private void tick() {
    try {
      applyPending();
    } catch (RuntimeException e) {
      LOG.warn("looking for commands failed; looking again in {}", interval, e);
    } finally {
      schedule();
    }
  }

  /** Applies the commands waiting for the runs this engine holds, oldest first. */
  void applyPending() {
    for (RunCommand command : runs.pendingCommands(owner)) {
      ActiveRun run = services.registry().get(command.runId());
      if (run != null && !closed) {
        apply(run, command);
      }
    }
  }

  /**
   * Applies {@code command} to {@code run} in one step that records its outcome: applied, or
   * refused as the operation would be here. A step whose write fails leaves it waiting, for
   * the run's next owner.
   */
  private void apply(ActiveRun run, RunCommand command) {
    try {
      if (!runs.takeCommand(command.id(), owner)) {
        return; // withdrawn by its sender meanwhile
      }
      run.step(command.operator(), false, () -> { // the claims thread never waits for a write
        CommandOutcome outcome;
        try {
          perform(run, command);
          outcome = outcome(command, Result.APPLIED, null, null);
        } catch (RunStateException e) {
          outcome = outcome(command, Result.RUN_STATE, e.state().name(), e.reason());
        } catch (NodeOperationException e) {
          outcome = outcome(command, Result.NODE_STATE, e.state().name(), e.reason());
        } catch (RuntimeException e) {
          outcome = outcome(command, Result.REFUSED, null, String.valueOf(e.getMessage()));
        }
        run.batch.commandOutcome(outcome);
        return null;
      });
    } catch (RuntimeException e) { // dropped meanwhile, or not stored: it stays waiting
      LOG.warn("run {}: command {} ({}) could not be applied here: {}", run.runId,
          command.id(), command.kind(), e.getMessage());
    }
  }

  private static void perform(ActiveRun run, RunCommand c) {
    RunControl control = run.control();
    String op = c.operator();
    switch (c.kind()) {
      case STOP -> control.stop(op);
      case STOP_NODE -> control.stopNode(node(run, c), op);
      case PAUSE -> control.pause(op);
      case RESUME -> control.resume(op);
      case RETRY -> control.retry(node(run, c), op);
      case UPDATE_CONFIG -> control.updateConfig(node(run, c), c.patch().orElseThrow(), op);
    }
  }

  private static int node(ActiveRun run, RunCommand c) {
    return run.spec.indexOf(c.nodeId().orElseThrow());
  }

  private CommandOutcome outcome(RunCommand c, Result result, String state, String message) {
    return new CommandOutcome(c.id(), result, Optional.ofNullable(state),
        Optional.ofNullable(message), services.time().now());
  }

  /**
   * Stores a command for the owner of run {@code runId} and waits for its outcome: returns if
   * it was applied, throws what the owner's refusal was.
   *
   * @throws CommandTimeoutException if the owner did not apply it within the timeout
   */
  void send(String runId, RunCommand.Kind kind, Optional<String> nodeId,
      Optional<ObjectNode> patch, String operator) {
    RunCommand command = RunCommand.of(UUID.randomUUID().toString(), runId, kind, nodeId, patch,
        operator, services.time().now());
    runs.addCommand(command);
    long deadline = System.nanoTime() + timeout.toNanos();
    CommandOutcome outcome;
    try {
      outcome = services.watches().await(interval,
          () -> runs.command(command.id()).flatMap(RunCommand::outcome), deadline);
    } catch (TimeoutException e) {
      outcome = withdraw(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
      outcome = withdraw(command);
    }
    String message = outcome.message().orElse("");
    switch (outcome.result()) {
      case APPLIED -> { }
      case RUN_STATE -> throw new RunStateException(runId,
          RunState.valueOf(outcome.state().orElseThrow()), message);
      case NODE_STATE -> throw new NodeOperationException(runId, nodeId.orElseThrow(),
          NodeState.valueOf(outcome.state().orElseThrow()), message);
      case CANCELLED -> throw new CommandTimeoutException(runId, command.id(), kind.name(),
          timeout, true);
      default -> throw new IllegalStateException("the owner of run '" + runId + "' refused "
          + kind + ": " + message);
    }
  }

  /**
   * Withdraws a command its owner did not answer in time, unless the owner's outcome came
   * first (then that outcome stands) or the owner has taken it: then its outcome is waited for
   * once more.
   *
   * @throws CommandTimeoutException if the owner took it but has not answered by then
   */
  private CommandOutcome withdraw(RunCommand command) {
    RunCommand now = runs.cancelCommand(command.id(), services.time().now())
        .orElseThrow(() -> new IllegalStateException("command " + command.id() + " is gone"));
    if (now.outcome().isPresent()) {
      return now.outcome().get();
    }
    try { // taken: its owner is applying it
      return services.watches().await(interval,
          () -> runs.command(command.id()).flatMap(RunCommand::outcome),
          System.nanoTime() + timeout.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      // below: taken, and not answered
    }
    throw new CommandTimeoutException(command.runId(), command.id(), command.kind().name(),
        timeout.multipliedBy(2), false);
  }
}
