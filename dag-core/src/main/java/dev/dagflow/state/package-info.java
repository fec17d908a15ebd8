/**
 * Node and run states. The transition tables that govern them are described in
 * {@code docs/concepts.md}.
 */
package dev.dagflow.state;
