package dev.dagflow.http.engine;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The main class of the child JVM of {@link RemoteSubmitCrashTest}: a {@link DagEngine} on JDBC
 * stores over the H2 database {@code url=}, whose task type {@code sim} runs on the remote engine
 * at {@code engine=} through an {@link HttpEngineExecutor}, as engine instance {@code
 * instance=} with a lease of {@code lease=} ms. It submits {@link #spec()} at once and answers
 * on stdout, on lines starting {@code @@ }: {@code run <id>}. It reads stdin until {@code
 * close} or its end, then closes everything.
 */
public final class RemoteEngineProcess {
  private RemoteEngineProcess() {}

  /** a, here; then b, on the remote engine; then c, here. */
  static DagSpec spec() {
    return DagSpec.builder("crash")
        .node(NodeSpec.task("a", "local"))
        .node(NodeSpec.task("b", "sim").dependsOn("a"))
        .node(NodeSpec.task("c", "local").dependsOn("b"))
        .build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    JdbcDataSource db = new JdbcDataSource();
    db.setURL(options.get("url"));
    try (Connection open = db.getConnection(); // keeps the database open between connections
        EngineClient client = EngineClient.builder(URI.create(options.get("engine")))
            .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
        HttpEngineExecutor remote = HttpEngineExecutor.builder().client(client)
            .pollInterval(Duration.ofMillis(20)).build();
        DagEngine engine = DagEngine.builder().instanceId(options.get("instance"))
            .stores(JdbcStores.builder(db).build())
            .leaseTime(Duration.ofMillis(Long.parseLong(options.get("lease"))))
            .executor("sim", remote).handler("local", ctx -> null).build()) {
      engine.start();
      say("run " + engine.submit(spec()));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("close");
          line = in.readLine()) {
        say("unknown command: " + line);
      }
    }
  }

  private static void say(String line) {
    System.out.println("@@ " + line);
    System.out.flush();
  }
}
