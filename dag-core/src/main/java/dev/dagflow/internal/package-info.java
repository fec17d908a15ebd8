/**
 * Helpers many ideas of dag-core share, so that none of them imports another idea's
 * {@code internal} package: the id rule ({@link dev.dagflow.internal.Ids}), the document a filter
 * is matched against ({@link dev.dagflow.internal.FilterDocument}), what validation resolved
 * about a spec's graph ({@link dev.dagflow.internal.SpecGraph}) and where free JSON sits in a
 * native spec ({@link dev.dagflow.internal.NativeDepths}). JSON helpers have their own shared
 * home, {@code dev.dagflow.json.internal}. This package depends on no other package of dagflow,
 * so that every package may depend on it.
 *
 * <p>Not API: the classes are public only so that every package of dag-core shares them; no
 * other module may import them, and they change without notice.
 */
package dev.dagflow.internal;
