package dev.dagflow.jdbc.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The child JVMs of one test: started through it, killed after the test whatever its outcome,
 * their output (the last {@value #TAIL} characters of each) added to the test's failure. Register
 * it on an instance field with {@code @RegisterExtension}. Also the tests' wait loop, {@link
 * #until}. Not thread-safe.
 */
public final class ChildJvms implements AfterEachCallback, TestExecutionExceptionHandler {
  private static final int TAIL = 6_000;

  /** A condition the tests poll. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /** The children still running in this JVM: killed if it ends before its tests kill them. */
  private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildJvm::close),
        "child-jvms-reaper"));
  }

  private final List<ChildJvm> children = new ArrayList<>();
  private Path directory;

  /** Starts a child named {@code name} (unique in the test) with {@code args}. */
  ChildJvm start(String name, List<String> args) throws IOException {
    return start(name, EngineProcess.class, args);
  }

  /** Starts a child of main class {@code main} named {@code name} (unique in the test). */
  public ChildJvm start(String name, Class<?> main, List<String> args) throws IOException {
    if (directory == null) {
      directory = Path.of(System.getProperty("basedir", "."), "target", "child-jvms",
          Long.toString(System.currentTimeMillis()));
    }
    ChildJvm child = ChildJvm.start(name, directory, main, args);
    children.add(child);
    LIVE.add(child);
    return child;
  }

  /**
   * Polls {@code condition} every 20 ms until it holds; fails naming {@code what} if it does not
   * within {@code timeout}.
   */
  static void until(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(20); // between two polls of the condition
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    if (children.isEmpty()) {
      throw failure;
    }
    StringBuilder report = new StringBuilder(String.valueOf(failure.getMessage()));
    for (ChildJvm child : children) {
      report.append("\n\n---- output of ").append(child).append(" ----\n")
          .append(child.tail(TAIL));
    }
    AssertionError withOutput = new AssertionError(report.toString(), failure);
    withOutput.setStackTrace(failure.getStackTrace());
    throw withOutput;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (ChildJvm child : children) {
      child.close();
      LIVE.remove(child);
    }
    children.clear();
  }
}
