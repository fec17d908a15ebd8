/**
 * Event triggers: {@link dev.dagflow.trigger.Event}s that happen, {@link
 * dev.dagflow.trigger.EventTrigger}s that start a run of a template when an event of their type,
 * project and filter is emitted, and the {@link dev.dagflow.trigger.TriggerMatcher} SPI that
 * finds the triggers of an event ({@link dev.dagflow.trigger.TriggerMatcher#indexed()} is the
 * default, indexed by event type and exact-match keys).
 *
 * <p>A trigger's filter and its parameter mapping read the same document, the whole event
 * ({@link dev.dagflow.trigger.Event#document()}): {@code {"payload.asset.type": ["domain", "ip"],
 * "project": "acme"}} and {@code {"domain": "payload.domain"}} (see {@link
 * dev.dagflow.filter.Filter}, "What a filter sees"). {@link
 * dev.dagflow.trigger.TriggerRegistry#explain} tests a trigger against a sample event and
 * answers with a {@link dev.dagflow.trigger.TriggerExplanation}.
 * Counters and the ids of processed events live in the {@link dev.dagflow.store.TriggerStore};
 * the engine's {@code emit} ties them together.
 *
 * <p>Every public type here is immutable and thread-safe, except builders. Nothing accepts or
 * returns {@code null}; bad input is refused with an {@link
 * dev.dagflow.trigger.InvalidEventException} or {@link dev.dagflow.trigger.InvalidTriggerException}
 * naming the field.
 */
package dev.dagflow.trigger;
