/**
 * Implementation of the filter language's value semantics: dotted paths into JSON documents,
 * equality and ordering of JSON values, and the canonical form of scalars used as index keys.
 * Not API: the classes are public only so that other packages of dag-core (the trigger index)
 * share exactly the semantics {@link dev.dagflow.filter.Filter} uses; no other module may import
 * them, and they change without notice.
 */
package dev.dagflow.filter.internal;
