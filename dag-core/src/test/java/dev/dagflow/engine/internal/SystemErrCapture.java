package dev.dagflow.engine.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Stands in for {@code System.err} while installed: slf4j-simple, the test backend, looks
 * {@code System.err} up for every line it prints, so each line lands here, with the MDC of the
 * printing thread at that moment as {@code mdc} reads it.
 */
public final class SystemErrCapture extends PrintStream implements AutoCloseable {
  /** A printed line and the MDC when it was printed. */
  public record Line(String text, Map<String, String> mdc) { }

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final Supplier<Map<String, String>> mdc;
  private final PrintStream previous;

  /** Installs the capture; {@link #close()} puts the previous {@code System.err} back. */
  public SystemErrCapture(Supplier<Map<String, String>> mdc) {
    super(new ByteArrayOutputStream(), true);
    this.mdc = mdc;
    this.previous = System.err;
    System.setErr(this);
  }

  @Override
  public void println(String text) {
    Map<String, String> context = mdc.get();
    lines.add(new Line(text, context == null ? Map.of() : Map.copyOf(context)));
  }

  /** The lines printed so far that contain {@code text}. */
  public List<Line> containing(String text) {
    return lines.stream().filter(l -> l.text().contains(text)).toList();
  }

  @Override
  public void close() {
    System.setErr(previous);
  }
}
