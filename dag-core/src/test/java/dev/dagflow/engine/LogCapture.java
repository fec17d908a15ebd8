package dev.dagflow.engine;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what reaches the test backend (Logback) while installed: each event with its logger,
 * level, message and the MDC of the thread that logged it, frozen at that moment.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, Runnable>> hooks = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  /** Starts recording every event of every logger. */
  public LogCapture() {
    setName("capture");
    setContext(root.getLoggerContext());
    start();
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // copies the logging thread's MDC now
    events.add(event);
    for (Map.Entry<String, Runnable> hook : hooks) {
      if (event.getFormattedMessage().contains(hook.getKey())) {
        hook.getValue().run();
      }
    }
  }

  /**
   * Runs {@code action} on the logging thread each time a message containing {@code text} is
   * logged: to wait for a moment only a log line marks. It must not block.
   */
  public LogCapture onMessage(String text, Runnable action) {
    hooks.add(Map.entry(text, action));
    return this;
  }

  /** The events whose formatted message contains {@code text}, in the order they came. */
  public List<ILoggingEvent> containing(String text) {
    return events.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
