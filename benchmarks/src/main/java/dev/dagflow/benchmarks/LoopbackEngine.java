package dev.dagflow.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A remote engine for {@link RemotePollingBenchmark}, on a JDK {@code HttpServer} on 127.0.0.1
 * (port 0): the default paths of {@code EngineClient} (submit, status, logs, stop), a submit
 * de-duplicated by its {@code Idempotency-Key}, every task {@code running} with one agent and
 * an empty log until {@link #complete} ends it. With a callback URL it POSTs a signed webhook
 * ({@code X-Dagflow-*} headers, HMAC-SHA256 of {@code timestamp.body}) when a task ends, and
 * sends it again after 5 ms while the receiver answers 404 (the executor does not follow the
 * task yet). It counts status and logs requests, and keeps its threads so that their CPU time
 * can be told apart from the client's. Thread-safe.
 */
final class LoopbackEngine implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A task the engine holds. */
  private static final class Task {
    final String id;
    volatile String status = "running";
    volatile boolean polled;

    Task(String id) {
      this.id = id;
    }
  }

  final LongAdder statusRequests = new LongAdder();
  final LongAdder logRequests = new LongAdder();
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final Map<String, Task> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger polledTasks = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Object changed = new Object();
  private final HttpServer server;
  private final ScheduledExecutorService webhooks;
  private final URI callback;
  private final byte[] secret;

  /**
   * Starts the engine; with a {@code callback} (else null), ended tasks are pushed to it,
   * signed with {@code secret}.
   */
  LoopbackEngine(URI callback, byte[] secret) throws IOException {
    this.callback = callback;
    this.secret = secret == null ? null : secret.clone();
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, named("loopback-engine")));
    server.createContext("/", this::exchange);
    server.start();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t)) {
        threads.add(t); // the server's dispatcher
      }
    }
    webhooks = Executors.newScheduledThreadPool(2, named("loopback-engine-webhook"));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The CPU time of the engine's own threads so far, in ns (those still alive). */
  long cpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : threads) {
      long ns = mx.getThreadCpuTime(t.getId());
      sum += Math.max(ns, 0);
    }
    return sum;
  }

  /** Waits until {@code n} tasks have been polled at least once. */
  void awaitPolledTasks(int n, long timeoutMillis) throws InterruptedException {
    awaitCondition(() -> polledTasks.get() >= n, timeoutMillis, () -> polledTasks.get()
        + " of " + n + " tasks polled");
  }

  /** Waits until the engine has answered more than {@code seen} status requests; their count. */
  long awaitStatusRequestsAfter(long seen, long timeoutMillis) throws InterruptedException {
    awaitCondition(() -> statusRequests.sum() > seen, timeoutMillis, () -> "no status request");
    return statusRequests.sum();
  }

  /** The id of the task submitted under {@code key}, once it is. */
  String awaitTask(String key, long timeoutMillis) throws InterruptedException {
    awaitCondition(() -> byKey.containsKey(key), timeoutMillis, () -> "no task for " + key);
    return byKey.get(key).id;
  }

  /** Ends task {@code id} as completed; pushes it to the callback URL if there is one. */
  void complete(String id) {
    Task task = tasks.get(id);
    task.status = "completed";
    if (callback != null) {
      webhooks.execute(() -> push(task));
    }
  }

  /** The tasks made. */
  int created() {
    return created.get();
  }

  @Override
  public void close() {
    server.stop(0);
    webhooks.shutdownNow();
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private interface Check {
    boolean holds();
  }

  private interface Describe {
    String what();
  }

  private void awaitCondition(Check check, long timeoutMillis, Describe what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (changed) {
      while (!check.holds()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("the loopback engine waited in vain: " + what.what());
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  private void exchange(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String[] parts = path.split("/");
      x.getRequestBody().readAllBytes();
      if (x.getRequestMethod().equals("POST") && path.equals("/engine/task/submit")) {
        String key = x.getRequestHeaders().getFirst("Idempotency-Key");
        Task task = byKey.computeIfAbsent(key, k -> {
          Task t = new Task("task-" + created.incrementAndGet());
          tasks.put(t.id, t);
          return t;
        });
        signal();
        send(x, 200, "{\"engine_task_id\":\"" + task.id + "\"}");
      } else if (parts.length == 5 && parts[2].equals("task") && tasks.containsKey(parts[3])) {
        Task task = tasks.get(parts[3]);
        if (parts[4].equals("status")) {
          statusRequests.increment();
          if (!task.polled) {
            task.polled = true;
            polledTasks.incrementAndGet();
          }
          signal();
          send(x, 200, status(task).toString());
        } else {
          send(x, 200, "{}"); // stop, update
        }
      } else if (parts.length == 5 && parts[2].equals("agent") && parts[4].equals("logs")) {
        logRequests.increment();
        send(x, 200, "{\"logs\":[]}");
      } else {
        send(x, 404, "{}");
      }
    }
  }

  private static ObjectNode status(Task task) {
    ObjectNode s = JSON.createObjectNode().put("status", task.status);
    s.putArray("agents").addObject().put("engine_agent_id", task.id + "-agent")
        .put("node_id", "x").put("status", task.status);
    return s;
  }

  private void push(Task task) {
    try {
      ObjectNode s = status(task).put("engine_task_id", task.id);
      byte[] body = JSON.writeValueAsBytes(s);
      String ts = Long.toString(System.currentTimeMillis() / 1000);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
      String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      HttpURLConnection c = (HttpURLConnection) callback.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("X-Dagflow-Timestamp", ts);
      c.setRequestProperty("X-Dagflow-Event-Id", task.id + "-" + System.nanoTime());
      c.setRequestProperty("X-Dagflow-Signature", signature);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int code = c.getResponseCode();
      (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
      if (code == 404) { // not followed yet: the submit's answer is still on its way
        webhooks.schedule(() -> push(task), 5, TimeUnit.MILLISECONDS);
      } else if (code != 204) {
        System.err.println("the webhook of " + task.id + " got " + code);
      }
    } catch (Exception e) {
      if (!webhooks.isShutdown()) {
        System.err.println("the webhook of " + task.id + " failed: " + e);
      }
    }
  }

  private static void send(HttpExchange x, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, bytes.length);
    x.getResponseBody().write(bytes);
  }

  private ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      threads.add(t);
      return t;
    };
  }
}
