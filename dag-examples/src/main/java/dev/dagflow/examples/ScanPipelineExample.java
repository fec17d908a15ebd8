package dev.dagflow.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.log.LogLevel;
import java.time.Duration;

/**
 * The scan platform's pipeline, subdomain → dns → port → http → nuclei, built with the builder,
 * run on an engine whose task handlers only log and pass a result on, and printed as a Mermaid
 * flowchart coloured by the nodes' states, followed by each node's attempt.
 */
public final class ScanPipelineExample {
  private ScanPipelineExample() {}

  /** The scan pipeline of one project. */
  public static DagSpec scanPipeline(String projectId) {
    return DagSpec.builder("scan-pipeline")
        .name("Asset scan")
        .scope(DagScope.project(projectId, true))
        .node(NodeSpec.task("subdomain", "subdomain_scan"))
        .node(NodeSpec.task("dns", "dns_resolve").dependsOn("subdomain"))
        .node(NodeSpec.task("port", "port_scan").dependsOn("dns").timeout(Duration.ofMinutes(30)))
        .node(NodeSpec.task("http", "http_probe").dependsOn("port"))
        .node(NodeSpec.task("nuclei", "nuclei_scan").dependsOn("http"))
        .build();
  }

  public static void main(String[] args) throws Exception {
    DagSpec spec = scanPipeline(args.length > 0 ? args[0] : "demo");
    DagEngine.Builder builder = DagEngine.builder();
    for (String type : new String[] {"subdomain_scan", "dns_resolve", "port_scan", "http_probe",
        "nuclei_scan"}) {
      builder.handler(type, ctx -> {
        ctx.log(LogLevel.INFO, "{} scanning {}", ctx.taskType(), ctx.params().get("domain"));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("stage", ctx.nodeId());
        result.put("inputs", ctx.upstreamResults().size());
        return result;
      });
    }
    try (DagEngine engine = builder.build()) {
      engine.start();
      ObjectNode params = JsonNodeFactory.instance.objectNode().put("domain", "example.com");
      RunView run = engine.await(engine.submit(spec, params), Duration.ofMinutes(1));
      System.out.println(run.toMermaid());
      System.out.println("run " + run.runId() + ": " + run.state());
      for (NodeView node : run.nodes()) {
        System.out.println("  " + node.id() + " " + node.state() + " in "
            + node.duration().map(Duration::toMillis).orElse(0L) + " ms, result "
            + node.result().map(Object::toString).orElse("-"));
      }
    }
  }
}
