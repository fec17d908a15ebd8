/**
 * Implementation of the model: validation, JSON formats, graph export. Not API: the classes are
 * public only because {@code dev.dagflow.spec} calls them; no other module may import them, and
 * they change without notice.
 */
package dev.dagflow.spec.internal;
