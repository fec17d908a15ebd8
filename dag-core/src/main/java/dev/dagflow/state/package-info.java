/**
 * Node and run states ({@link dev.dagflow.state.NodeState}, {@link dev.dagflow.state.RunState}),
 * the transition table of each node kind ({@link dev.dagflow.state.NodeTransitions}, refusing an
 * illegal move with {@link dev.dagflow.state.IllegalTransitionException}), and the recorded
 * {@link dev.dagflow.state.StateTransition} with its {@link dev.dagflow.state.TriggerType}. The
 * tables are described in {@code docs/concepts.md}. This package reads the node kind of the
 * model; the model knows nothing of states.
 */
package dev.dagflow.state;
