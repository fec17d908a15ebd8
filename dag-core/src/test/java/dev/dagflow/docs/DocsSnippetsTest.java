package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.RunView;
import dev.dagflow.engine.UpstreamOutcome;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import dev.dagflow.template.DagTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/ pages, compiled and run here; {@link DocsExamplesTest} checks that
 * each page shows its block as it is written between the {@code docs:start} and {@code
 * docs:end} lines.
 */
class DocsSnippetsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The remote executor of the engine page's example: answers at once with its config. */
  static final class MyRemoteExecutor implements NodeExecutor {
    @Override
    public CompletionStage<NodeResult> execute(NodeContext context) {
      return CompletableFuture.completedFuture(NodeResult.success(context.config()));
    }
  }

  private static JsonNode runScript(ObjectNode config) {
    return JSON.objectNode().put("ran", config.path("script").asText());
  }

  @Test
  void enginePage() throws Exception {
    DagSpec spec = DagSpec.builder("ci")
        .node(NodeSpec.task("build", "shell").config(JSON.objectNode().put("script", "make")))
        .node(NodeSpec.task("scan", "remote_scan").dependsOn("build"))
        .build();
    ObjectNode params = JSON.objectNode().put("branch", "main");
    RunView seen;
    // docs:start engine.md
    try (DagEngine engine = DagEngine.builder()
        .handler("shell", ctx -> runScript(ctx.config()))       // a plain function
        .executor("remote_scan", new MyRemoteExecutor())          // an asynchronous executor
        .stores(Stores.inMemory())                                // the default
        .build()) {
      engine.start();                                             // claims unfinished runs first
      String runId = engine.submit(spec, params);
      RunView run = engine.await(runId, Duration.ofMinutes(5));
      // docs:end
      seen = run;
    }
    assertThat(seen.state()).isEqualTo(RunState.COMPLETED);
    assertThat(seen.node("build").orElseThrow().result())
        .contains(JSON.objectNode().put("ran", "make"));
  }

  /** Where the engine page's notify posts. */
  static final class Chat {
    final List<String> posts = new ArrayList<>();

    synchronized void post(String message) {
      posts.add(message);
    }
  }

  @Test
  void enginePageUpstreamOutcomes() throws Exception {
    Chat chat = new Chat();
    // docs:start engine.md upstreams
    DagEngine.Builder builder = DagEngine.builder()
        .handler("notify", ctx -> {
          UpstreamOutcome deploy = ctx.upstreams().get("deploy");
          chat.post(deploy.state() == NodeState.COMPLETED ? "deployed"
              : "deploy " + deploy.state() + ": " + deploy.errorMessage().orElse("no message"));
          return null;
        });
    // docs:end
    DagSpec spec = DagSpec.builder("ship")
        .node(NodeSpec.task("deploy", "kubectl"))
        .node(NodeSpec.task("notify", "notify").dependsOn("deploy", EdgeType.FINISH))
        .build();
    try (DagEngine engine = builder.executor("kubectl", ctx -> CompletableFuture.completedFuture(
        NodeResult.failure("ROLLOUT", "3 of 5 pods crashed"))).build()) {
      engine.start();
      RunView run = engine.await(engine.submit(spec), Duration.ofSeconds(30));
      assertThat(run.node("notify").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
    }
    assertThat(chat.posts).containsExactly("deploy FAILED: 3 of 5 pods crashed");
  }

  @Test
  void enginePageLogCursor() throws Exception {
    DagSpec spec = DagSpec.builder("chatty").node(NodeSpec.task("a", "shell")).build();
    try (DagEngine engine = DagEngine.builder().handler("shell", ctx -> {
      for (int i = 1; i <= 1_200; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
      }
      return null;
    }).build()) {
      engine.start();
      String runId = engine.submit(spec);
      engine.await(runId, Duration.ofSeconds(10));
      // docs:start engine.md logs
      List<LogEntry> lines = new ArrayList<>();
      long cursor = 0;                                 // 0: from the first line
      List<LogEntry> page;
      while (!(page = engine.logs(LogQuery.of(runId).afterSequence(cursor).limit(500))).isEmpty()) {
        lines.addAll(page);
        cursor = page.get(page.size() - 1).seq();      // resume after the last line read
      }
      // docs:end
      assertThat(lines).extracting(LogEntry::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 1_200).boxed().toList());
    }
  }

  @Test
  void templatesPage() throws Exception {
    DagSpec scanSpec = DagSpec.builder("scan")
        .node(NodeSpec.task("dns", "shell")).build();
    DagSpec editedSpec = DagSpec.builder("scan")
        .node(NodeSpec.task("dns", "shell"))
        .node(NodeSpec.task("port", "shell").dependsOn("dns")).build();
    ObjectNode params = JSON.objectNode();
    try (DagEngine engine = DagEngine.builder().handler("shell", ctx -> null).build()) {
      engine.start();
      // docs:start triggers.md
      engine.templates().save("scan", Optional.of("acme"), scanSpec);   // version 1
      engine.templates().save("scan", Optional.of("acme"), editedSpec); // version 2
      String latest = engine.submit("scan", params);        // latest version
      String first = engine.submit("scan", 1, params);     // version 1
      // docs:end
      Duration wait = Duration.ofSeconds(10);
      assertThat(engine.await(latest, wait).nodes()).hasSize(2);
      assertThat(engine.await(first, wait).nodes()).hasSize(1);
      assertThat(engine.templates().latest("scan").map(DagTemplate::version)).contains(2);
    }
  }

  /** The engine page's stand-in for a remote engine: tasks by id, a submit idempotent by key. */
  static final class RemoteClient {
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<NodeResult>> tasks = new ConcurrentHashMap<>();
    /** Counted down when an executor asks for a task's completion: after its report. */
    final CountDownLatch watched = new CountDownLatch(1);

    String submit(String key, ObjectNode config) {
      return idByKey.computeIfAbsent(key, k -> {
        String id = "task-" + (idByKey.size() + 1);
        tasks.put(id, new CompletableFuture<>());
        return id;
      });
    }

    Optional<String> find(String key) {
      return Optional.ofNullable(idByKey.get(key));
    }

    CompletionStage<NodeResult> completion(String taskId) {
      watched.countDown();
      return tasks.get(taskId);
    }

    void finish(String taskId) {
      tasks.get(taskId).complete(NodeResult.success());
    }
  }

  /** The engine page's executor that reports its engine reference and re-attaches by it. */
  static final class RemoteTaskExecutor implements NodeExecutor {
    private final RemoteClient remote;

    RemoteTaskExecutor(RemoteClient remote) {
      this.remote = remote;
    }

    // docs:start engine.md
    @Override
    public CompletionStage<NodeResult> execute(NodeContext context) {
      String taskId = remote.submit(context.idempotencyKey(), context.config()); // idempotent
      context.reportEngineRef(taskId);                     // stored when this returns
      return remote.completion(taskId);
    }

    @Override
    public Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
      Optional<String> taskId = context.engineRef()        // stored before the crash
          .or(() -> remote.find(context.idempotencyKey())); // submitted, not stored yet
      taskId.ifPresent(context::reportEngineRef);          // the stored one again: no-op
      return taskId.map(remote::completion);               // empty: a new attempt starts
    }
    // docs:end
  }

  @Test
  void enginePageReattach() throws Exception {
    Stores stores = Stores.inMemory();
    RemoteClient remote = new RemoteClient();
    DagSpec spec = DagSpec.builder("remote").node(NodeSpec.task("scan", "remote_scan")).build();
    String runId;
    try (DagEngine crashed = DagEngine.builder().stores(stores)
        .executor("remote_scan", new RemoteTaskExecutor(remote)).build()) {
      crashed.start();
      runId = crashed.submit(spec, JSON.objectNode());
      assertThat(remote.watched.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(crashed.get(runId).node("scan").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.engineRef()).contains("task-1"));
    } // closed with 'scan' running: nothing more is written
    try (DagEngine engine = DagEngine.builder().stores(stores)
        .executor("remote_scan", new RemoteTaskExecutor(remote)).build()) {
      engine.start(); // re-attaches to task-1
      remote.finish("task-1");
      RunView run = engine.await(runId, Duration.ofSeconds(10));
      assertThat(run.state()).isEqualTo(RunState.COMPLETED);
      assertThat(run.node("scan").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.engineRef()).contains("task-1"));
    }
  }
}
