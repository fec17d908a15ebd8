package dev.dagflow.examples;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.time.Duration;

/**
 * The scan platform's pipeline, subdomain → dns → port → http → nuclei, built with the builder
 * and printed as a Mermaid flowchart and as dagflow JSON.
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

  public static void main(String[] args) {
    DagSpec spec = scanPipeline(args.length > 0 ? args[0] : "demo");
    System.out.println(spec.toMermaid());
    System.out.println(spec.toJson());
  }
}
