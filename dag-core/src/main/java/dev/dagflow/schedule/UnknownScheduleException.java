package dev.dagflow.schedule;

import dev.dagflow.DagflowException;

/** No schedule has the id asked for. */
public class UnknownScheduleException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String scheduleId;

  public UnknownScheduleException(String scheduleId) {
    super("no schedule with id '" + scheduleId + "'");
    this.scheduleId = scheduleId;
  }

  /** The id asked for. */
  public String scheduleId() {
    return scheduleId;
  }
}
