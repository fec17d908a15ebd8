package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A remote engine on a real loopback socket (JDK HttpServer on 127.0.0.1, port 0) that speaks
 * the protocol of {@link EngineClient} with scripted behaviour: status replies per task (the last
 * one repeats), submit faults, a held submit answer, a slow status, log lines served overlapping,
 * shuffled and repeated, the server stopped (refused connections) and started again on its port.
 * It counts every request, de-duplicates submits by {@code Idempotency-Key}, and records a
 * violation whenever two status polls of one task are in progress at once.
 */
final class FakeEngine implements AutoCloseable {
  /** A request as it arrived. */
  record Request(String method, String path, String query, Map<String, List<String>> headers,
      String body, long nanos) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.get(0);
    }
  }

  /** A task the engine holds. */
  static final class Task {
    final String id;
    final String key;
    final JsonNode submitted;
    final Deque<Reply> script = new ArrayDeque<>();
    final AtomicInteger polling = new AtomicInteger();
    volatile boolean stopped;

    Task(String id, String key, JsonNode submitted) {
      this.id = id;
      this.key = key;
      this.submitted = submitted;
    }

    String agentId() {
      return id + "-agent";
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final Map<String, Task> tasks = new ConcurrentHashMap<>();
  final Map<String, List<EngineLine>> logs = new ConcurrentHashMap<>();
  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger maxConcurrentPolls = new AtomicInteger();
  /** The most requests of any kind under way at once. */
  final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Task> byKey = new ConcurrentHashMap<>();
  private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
  private final Deque<Reply> submitFaults = new ArrayDeque<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Object arrived = new Object();
  private volatile CountDownLatch submitHold;
  private volatile Duration statusDelay = Duration.ZERO;
  private volatile Random logShuffle;
  private volatile int logOverlap;
  private volatile boolean repeatIds;
  private HttpServer server;
  private int port;

  FakeEngine() throws IOException {
    start(0);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Answers task {@code taskId}'s status polls with these, in order; the last repeats. */
  FakeEngine script(String taskId, Reply... replies) {
    Task task = tasks.get(taskId);
    if (task == null) {
      scripts.computeIfAbsent(taskId, k -> new ArrayDeque<>()).addAll(List.of(replies));
    } else {
      synchronized (task) {
        task.script.addAll(List.of(replies));
      }
    }
    return this;
  }

  /** Answers task {@code taskId}'s polls with these from now on, dropping what was scripted. */
  FakeEngine rescript(String taskId, Reply... replies) {
    Task task = tasks.get(taskId);
    synchronized (task) {
      task.script.clear();
      task.script.addAll(List.of(replies));
    }
    return this;
  }

  /** Answers the next submits with these faults, in order, before taking one. */
  synchronized FakeEngine submitFaults(Reply... replies) {
    submitFaults.addAll(List.of(replies));
    return this;
  }

  /** Holds every submit's answer (after the task is made) until {@code hold} is open. */
  void holdSubmits(CountDownLatch hold) {
    submitHold = hold;
  }

  /** A slow engine: each status answer takes this long. */
  void statusDelay(Duration delay) {
    statusDelay = delay;
  }

  /**
   * Serves logs with {@code overlap} lines from before {@code since}, lines with an id twice,
   * and shuffled by {@code shuffle} unless it is null.
   */
  void logFaults(Random shuffle, int overlap, boolean repeatIdLines) {
    logShuffle = shuffle;
    logOverlap = overlap;
    repeatIds = repeatIdLines;
  }

  /** Writes lines to an agent's log. */
  void log(String agentId, EngineLine... lines) {
    List<EngineLine> log = logs.computeIfAbsent(agentId, k -> new CopyOnWriteArrayList<>());
    log.addAll(List.of(lines));
  }

  /** Requests whose method and path match, e.g. {@code "GET /engine/task/task-1/status"}. */
  List<Request> requests(String methodAndPath) {
    return requests.stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath))
        .toList();
  }

  /** Waits until the requests so far satisfy {@code condition}; woken by each arrival. */
  void await(Predicate<List<Request>> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrived) {
      while (!condition.test(requests)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the fake engine did not see the requests awaited; it saw "
              + requests.stream().map(r -> r.method() + " " + r.path()).toList());
        }
        TimeUnit.NANOSECONDS.timedWait(arrived, left);
      }
    }
  }

  /** Waits until {@code n} requests matching {@code methodAndPath} have arrived. */
  void awaitCount(String methodAndPath, int n) throws InterruptedException {
    await(r -> requests(methodAndPath).size() >= n, Duration.ofSeconds(20));
  }

  /** Closes the port: connections are refused until {@link #restart()}. */
  synchronized void stopServer() {
    server.stop(0);
  }

  /** Listens again on the same port, with every task and script kept. */
  synchronized void restart() throws IOException {
    start(port);
  }

  @Override
  public synchronized void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void start(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort),
        0);
    server.setExecutor(threads);
    server.createContext("/", this::exchange);
    server.start();
    port = server.getAddress().getPort();
  }

  private void exchange(HttpExchange x) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = x.getRequestURI().getPath();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(x.getRequestHeaders());
      Request r = new Request(x.getRequestMethod(), path, x.getRequestURI().getRawQuery(),
          Collections.unmodifiableMap(headers), body, System.nanoTime());
      requests.add(r);
      synchronized (arrived) {
        arrived.notifyAll();
      }
      String[] parts = path.split("/");
      if (r.method().equals("POST") && path.equals("/engine/task/submit")) {
        submit(x, r);
      } else if (r.method().equals("POST") && path.equals("/engine/tasks/status")) {
        batch(x, r);
      } else if (parts.length == 5 && parts[2].equals("task")) {
        Task task = tasks.get(parts[3]);
        if (task == null) {
          send(x, 404, "{\"message\":\"no such task\"}");
        } else if (r.method().equals("GET") && parts[4].equals("status")) {
          send(x, poll(task));
        } else if (r.method().equals("PUT") && parts[4].equals("update")) {
          send(x, 200, "{}");
        } else if (r.method().equals("POST") && parts[4].equals("stop")) {
          task.stopped = true;
          send(x, 200, "{}");
        } else {
          send(x, 404, "{}");
        }
      } else if (parts.length == 5 && parts[2].equals("agent") && parts[4].equals("logs")) {
        send(x, 200, logs(parts[3], r.query()));
      } else {
        send(x, 404, "{}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      violations.add("the fake engine failed: " + e); // tests check there are none
      throw e;
    } finally {
      inFlight.decrementAndGet();
      x.close();
    }
  }

  private void submit(HttpExchange x, Request r) throws IOException, InterruptedException {
    Reply fault;
    synchronized (this) {
      fault = submitFaults.poll();
    }
    if (fault != null) {
      send(x, fault);
      return;
    }
    JsonNode body = Reply.JSON.readTree(r.body());
    String key = r.header("Idempotency-Key");
    if (key == null || !key.equals(body.path("idempotencyKey").asText())) {
      violations.add("submit without the same key in header and body: " + r.headers());
    }
    Task task = byKey.computeIfAbsent(key, k -> {
      Task t = new Task("task-" + created.incrementAndGet(), k, body);
      Deque<Reply> s = scripts.remove(t.id);
      if (s != null) {
        t.script.addAll(s);
      }
      tasks.put(t.id, t);
      return t;
    });
    CountDownLatch hold = submitHold;
    if (hold != null) {
      hold.await(30, TimeUnit.SECONDS);
    }
    send(x, 200, "{\"engine_task_id\":\"" + task.id + "\"}");
  }

  /** The next scripted answer of a poll, with a check that no other poll of it is under way. */
  private Reply poll(Task task) throws InterruptedException {
    int now = task.polling.incrementAndGet();
    try {
      maxConcurrentPolls.accumulateAndGet(now, Math::max);
      if (now > 1) {
        violations.add(now + " concurrent status polls of " + task.id);
      }
      if (!statusDelay.isZero()) {
        Thread.sleep(statusDelay.toMillis()); // a slow engine, not a wait for a condition
      }
      Reply reply;
      synchronized (task) {
        reply = task.script.size() > 1 ? task.script.poll()
            : task.script.isEmpty() ? Reply.running(0) : task.script.peek();
      }
      if (task.stopped) {
        reply = Reply.status("stopped");
      }
      if (!reply.lines.isEmpty()) {
        log(task.agentId(), reply.lines.toArray(EngineLine[]::new));
        reply.lines.clear(); // written once, even if the reply repeats
      }
      reply.others.forEach((agent, lines) -> {
        log(agent, lines.toArray(EngineLine[]::new));
        lines.clear();
      });
      return reply;
    } finally {
      task.polling.decrementAndGet();
    }
  }

  private void batch(HttpExchange x, Request r) throws IOException, InterruptedException {
    JsonNode ids = Reply.JSON.readTree(r.body()).path("engine_task_ids");
    ObjectNode answer = Reply.JSON.createObjectNode();
    ArrayNode list = answer.putArray("tasks");
    for (JsonNode id : ids) {
      Task task = tasks.get(id.asText());
      if (task != null) {
        Reply reply = poll(task);
        if (!reply.isStatus()) {
          send(x, reply);
          return;
        }
        list.add(reply.body(task.id, task.agentId(), nodeId(task)).put("engine_task_id",
            task.id));
      }
    }
    send(x, 200, answer.toString());
  }

  private String logs(String agentId, String query) {
    List<EngineLine> all = new ArrayList<>(logs.getOrDefault(agentId, List.of()));
    Instant since = null;
    if (query != null && query.startsWith("since=")) {
      String s = URLDecoder.decode(query.substring(6), StandardCharsets.UTF_8);
      since = s.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(s))
          : Instant.parse(s);
    }
    List<EngineLine> out = new ArrayList<>();
    int firstServed = -1;
    for (int i = 0; i < all.size(); i++) {
      if (since == null || !all.get(i).time().isBefore(since)) {
        out.add(all.get(i));
        firstServed = firstServed < 0 ? i : firstServed;
      }
    }
    if (firstServed > 0) { // overlap: some lines before since, as a sloppy engine sends them
      out.addAll(all.subList(Math.max(0, firstServed - logOverlap), firstServed));
    }
    if (repeatIds) {
      out.addAll(out.stream().filter(l -> l.id() != null).toList());
    }
    Random shuffle = logShuffle;
    if (shuffle != null) {
      synchronized (shuffle) {
        Collections.shuffle(out, shuffle);
      }
    }
    ObjectNode answer = Reply.JSON.createObjectNode();
    ArrayNode lines = answer.putArray("logs");
    out.forEach(l -> lines.add(l.json()));
    return answer.toString();
  }

  private static String nodeId(Task task) {
    return task.submitted.path("body").path(0).path("id").asText();
  }

  private void send(HttpExchange x, Reply reply) throws IOException {
    if (reply.raw != null) {
      send(x, reply.code, reply.raw);
    } else if (!reply.isStatus()) {
      if (reply.retryAfter != null) {
        x.getResponseHeaders().set("Retry-After", reply.retryAfter);
      }
      send(x, reply.code, "{\"message\":\"scripted " + reply.code + "\"}");
    } else {
      String path = x.getRequestURI().getPath();
      Task task = tasks.get(path.split("/")[3]);
      send(x, 200, reply.body(task.id, task.agentId(), nodeId(task)).toString());
    }
  }

  private static void send(HttpExchange x, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
  }
}
