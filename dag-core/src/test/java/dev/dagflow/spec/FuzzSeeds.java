package dev.dagflow.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dagflow.spec.JsonEntryPointsFuzzTest.EntryPoint;
import java.util.List;

/**
 * The valid documents the fuzz test mutates, per entry point. Each must be accepted as it is:
 * a filter's paths start where its document does (a trigger's at the event's fields, an
 * activation's at {@code params}, a condition's at {@code result}), or every mutant would be
 * refused and the entry point tested nothing.
 */
final class FuzzSeeds {
  private static final JsonMapper READER = new JsonMapper();

  private FuzzSeeds() {}

  static List<JsonNode> of(EntryPoint entry, long seed) {
    return switch (entry) {
      case NATIVE -> List.of(tree(SeedWorkflowsTest.resource("cicd.json")),
          DagJson.toTree(RandomSpecs.generate(seed)),
          DagJson.toTree(RandomSpecs.generate(seed + 1)));
      case SIMULATION -> List.of(tree(SeedWorkflowsTest.resource("red-blue.json")),
          tree(SeedWorkflowsTest.resource("red-blue.json")).get("nodes"));
      case SCAN -> List.of(tree(SeedWorkflowsTest.resource("scan-pipeline.json")));
      case FILTER -> filters("");
      case TRIGGER_FILTER -> List.of(
          tree("{\"payload.asset.type\": [\"domain\", \"ip\"], \"type\": \"asset.found\","
              + " \"payload.port\": {\"$gte\": 1, \"$lt\": 1024}, \"$or\": [{\"payload.owner\":"
              + " {\"$regex\": \"^sec-\"}}, {\"project\": {\"$in\": [\"scan\", \"p\"]}}]}"),
          tree("{\"$and\": [{\"payload.a\": {\"$in\": [1, 2.5, \"x\"]}}, {\"$not\":"
              + " {\"project\": null}}], \"payload.c\": {\"$exists\": true, \"$ne\": {\"k\":"
              + " [1]}}, \"type\": {\"$regex\": \"^asset\\\\.\"}}"));
      case ACTIVATION -> filters("params.");
      case CONDITION -> filters("result.");
      case EVENT_PAYLOAD, PARAMS, RESULT, CONFIG_PATCH, DEFAULT_CONFIG, CONFIG, METADATA ->
          List.of(
              tree("{\"asset\": {\"type\": \"domain\", \"name\": \"x.example\"}, \"port\": 443,"
                  + " \"tags\": [\"a\", \"b\"], \"score\": 0.5, \"owner\": \"sec-team\"}"),
              tree("{\"env\": \"prod\", \"targets\": [{\"host\": \"h1\", \"port\": 80},"
                  + " {\"host\": \"h2\", \"ports\": [1, 2, 3]}], \"ratio\": 0.25, \"on\": true}"));
    };
  }

  /** Two filters whose paths start with {@code root}. */
  private static List<JsonNode> filters(String root) {
    return List.of(
        tree("{\"" + root + "asset.type\": [\"domain\", \"ip\"], \"" + root + "port\": {\"$gte\":"
            + " 1, \"$lt\": 1024}, \"$or\": [{\"" + root + "owner\": {\"$regex\": \"^sec-\"}},"
            + " {\"" + root + "tags\": \"external\"}]}"),
        tree("{\"$and\": [{\"" + root + "a\": {\"$in\": [1, 2.5, \"x\"]}}, {\"$not\": {\""
            + root + "b\": null}}], \"" + root + "c\": {\"$exists\": true, \"$ne\": {\"k\":"
            + " [1]}}}"));
  }

  private static JsonNode tree(String json) {
    try {
      return READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
