package dev.dagflow.jdbc.engine;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running {@link EngineProcess} (or another main class: this module's test-jar
 * shares it), on the test JVM's own Java and class path. Its
 * stdout and stderr go to one file (so that no pipe ever fills and blocks it), which the test
 * reads for the child's answers and shows when it fails; commands go to its stdin. Not
 * thread-safe: one test thread drives it.
 */
public final class ChildJvm implements AutoCloseable {
  private static final String ANSWER = "@@ ";

  private final String name;
  private final Process process;
  private final Path output;
  private final Writer stdin;

  private ChildJvm(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts a child named {@code name}, its output in {@code directory}, with {@code args}. */
  static ChildJvm start(String name, Path directory, List<String> args) throws IOException {
    return start(name, directory, EngineProcess.class, args);
  }

  /** Starts a child of main class {@code main}, its output in {@code directory}. */
  public static ChildJvm start(String name, Path directory, Class<?> main, List<String> args)
      throws IOException {
    Files.createDirectories(directory);
    Path output = directory.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small and quick to start: the machine's cores are shared with the test JVM and its DBs
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      command.add("-Dlogback.configurationFile=" + logback);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    return new ChildJvm(name, process, output);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends one command line. */
  public void send(String command) throws IOException {
    stdin.write(command + "\n");
    stdin.flush();
  }

  /** The child's answers so far (its {@code @@} lines, without the marker), in order. */
  public List<String> answers() {
    List<String> answers = new ArrayList<>();
    for (String line : lines()) {
      if (line.startsWith(ANSWER)) {
        answers.add(line.substring(ANSWER.length()));
      }
    }
    return answers;
  }

  /**
   * The first answer matching {@code wanted}, once there is one; fails if the child ends first
   * or {@code timeout} passes.
   */
  public String await(Predicate<String> wanted, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> found = answers().stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " ended (exit " + process.exitValue()
            + ") before it answered " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " did not answer " + what + " within " + timeout);
      }
      pause();
    }
  }

  /** Waits for the answer {@code answer} itself. */
  public void await(String answer, Duration timeout) {
    await(answer::equals, "'" + answer + "'", timeout);
  }

  /** The ids of the runs the child said it submitted ({@code run <tag> <id>}), in order. */
  List<String> submittedRuns() {
    return answers().stream().filter(a -> a.startsWith("run "))
        .map(a -> a.substring(a.lastIndexOf(' ') + 1)).toList();
  }

  /** Every line the child wrote, its log lines among them. */
  public List<String> lines() {
    try {
      return Files.readAllLines(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of the child's output that contain {@code text}. */
  List<String> linesContaining(String text) {
    return lines().stream().filter(l -> l.contains(text)).toList();
  }

  /** Kills the child at once (SIGKILL) and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not die within 10 s of SIGKILL");
    }
  }

  /** Sends the child a signal ({@code STOP}, {@code CONT}) with kill(1). */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + process.pid() + " failed: " + said);
    }
  }

  /** Asks the child to close its engine and waits for it to end with exit code 0. */
  void closeEngine(Duration timeout) throws IOException, InterruptedException {
    send("close");
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not end within " + timeout + " of 'close'");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(name + " ended with exit code " + process.exitValue());
    }
  }

  /** The child's output, at most the last {@code maxChars} characters of it. */
  public String tail(int maxChars) {
    String all = String.join("\n", lines());
    return all.length() <= maxChars ? all
        : "[... " + (all.length() - maxChars) + " characters before]\n"
            + all.substring(all.length() - maxChars);
  }

  /** Kills the child if it is still running (a stopped one too). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20); // between two reads of the output file: a poll, not a wait for time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", output " + output + ")";
  }
}
