package dev.dagflow.eval.internal;

import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.NodeTransitions;

/**
 * Node states as bytes (their ordinals) for the per-run arrays, with the transition table and
 * the edge rules precomputed over them. Terminal states are the ordinals from COMPLETED on.
 */
final class States {
  static final NodeState[] ALL = NodeState.values();
  static final byte WAITING = (byte) NodeState.WAITING.ordinal();
  static final byte READY = (byte) NodeState.READY.ordinal();
  static final byte INITIALIZING = (byte) NodeState.INITIALIZING.ordinal();
  static final byte RUNNING = (byte) NodeState.RUNNING.ordinal();
  static final byte COMPLETED = (byte) NodeState.COMPLETED.ordinal();
  static final byte FAILED = (byte) NodeState.FAILED.ordinal();
  static final byte TIMED_OUT = (byte) NodeState.TIMED_OUT.ordinal();
  static final byte STOPPED = (byte) NodeState.STOPPED.ordinal();
  static final byte SKIPPED = (byte) NodeState.SKIPPED.ordinal();

  private static final EdgeType[] EDGE_TYPES = EdgeType.values();
  /** {@code LEGAL[container ? 1 : 0][from][to]}, copied from {@link NodeTransitions}. */
  private static final boolean[][][] LEGAL = new boolean[2][ALL.length][ALL.length];

  static {
    for (NodeKind kind : NodeKind.values()) {
      for (NodeState from : ALL) {
        for (NodeState to : ALL) {
          LEGAL[kind == NodeKind.CONTAINER ? 1 : 0][from.ordinal()][to.ordinal()] =
              NodeTransitions.isLegal(kind, from, to);
        }
      }
    }
  }

  private States() {}

  static boolean isLegal(boolean container, byte from, byte to) {
    return LEGAL[container ? 1 : 0][from][to];
  }

  static boolean isTerminal(byte state) {
    return state >= COMPLETED;
  }

  /** Whether an edge of type {@code type} (an ordinal) is satisfied by an upstream that ended so. */
  static boolean typeSatisfied(byte type, byte upstream) {
    return switch (EDGE_TYPES[type]) {
      case SUCCESS -> upstream == COMPLETED;
      case FAILURE -> upstream == FAILED || upstream == TIMED_OUT;
      case FINISH, ANY -> upstream >= COMPLETED;
    };
  }
}
