/**
 * Schedules: {@link dev.dagflow.schedule.Schedule}s start a run of a template at the fire times
 * of a cron expression (UNIX dialect, 5 fields) in a time zone, with fixed parameters, an overlap
 * policy (the triggers' {@link dev.dagflow.trigger.OverlapPolicy}) and a {@link
 * dev.dagflow.schedule.MisfirePolicy} for the fire times missed while no engine ran. {@link
 * dev.dagflow.schedule.ScheduleJson} reads and writes them as JSON; {@link
 * dev.dagflow.schedule.ScheduleRegistry} ({@code DagEngine.schedules()}) saves and fires them;
 * what each has done is a {@link dev.dagflow.schedule.ScheduleState}, kept by the {@link
 * dev.dagflow.store.ScheduleStore}. Each fire time starts at most one run, across restarts and
 * engine instances: the run carries the start key {@code schedule:<id>/<fire time in epoch
 * millis>}, which the run store keeps unique. See {@code docs/schedules.md}.
 *
 * <p>Every public type here is immutable and thread-safe, except builders. Nothing accepts or
 * returns {@code null}; bad input is refused with an {@link
 * dev.dagflow.schedule.InvalidScheduleException} naming the field.
 */
package dev.dagflow.schedule;
