/**
 * The JSON helpers every package of dag-core shares: the one JSON mapper dagflow reads and
 * writes with, canonical copies of JSON values, how values are described in messages
 * ({@link dev.dagflow.json.internal.Json}), and the value semantics of the filter language that
 * the trigger index shares with it: dotted paths into documents
 * ({@link dev.dagflow.json.internal.JsonPath}), equality, ordering and canonical keys of JSON
 * values ({@link dev.dagflow.json.internal.JsonValues}).
 *
 * <p>Not API: public only so that every package of dag-core shares them; no other module may
 * import them, and they change without notice.
 */
package dev.dagflow.json.internal;
