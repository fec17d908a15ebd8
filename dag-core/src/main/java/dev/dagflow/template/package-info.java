/**
 * Templates: stored, versioned {@link dev.dagflow.spec.DagSpec}s that runs are started from.
 * {@link dev.dagflow.template.DagTemplate} is the value; {@link dev.dagflow.store.TemplateStore}
 * keeps them. A run keeps a full snapshot of the spec it started from, so a new version of a
 * template never changes history.
 */
package dev.dagflow.template;
