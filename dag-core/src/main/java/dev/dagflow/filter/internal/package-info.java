/**
 * Implementation of the filter language used by {@code dev.dagflow.filter} alone: the source
 * form a compiled filter is written back as. The value semantics it shares with the trigger index
 * live in {@code dev.dagflow.json.internal}, the document a filter sees in
 * {@code dev.dagflow.internal}. Not API: no other package or module may import it, and it
 * changes without notice.
 */
package dev.dagflow.filter.internal;
