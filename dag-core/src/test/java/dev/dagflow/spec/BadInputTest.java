package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dagflow.spec.SpecProblem.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad JSON gives an InvalidDagException naming the field and node, and nothing else escapes. */
class BadInputTest {

  private static InvalidDagException invalid(String json, SpecFormat format) {
    Throwable thrown = catchThrowable(() -> DagJson.read(json, format));
    assertThat(thrown).as("reading %s", json).isInstanceOf(InvalidDagException.class);
    return (InvalidDagException) thrown;
  }

  private static SpecProblem only(String json, SpecFormat format) {
    InvalidDagException e = invalid(json, format);
    assertThat(e.problems()).as(e.getMessage()).hasSize(1);
    return e.problems().get(0);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "NATIVE     | {\"id\":\"d\",\"nodes\":[",
      "NATIVE     | {\"id\":\"d\"} trailing",
      "NATIVE     | {\"id\":\"d\",\"id\":\"e\",\"nodes\":[]}",
      "SCAN       | {nodes: []}",
      "SIMULATION | [{\"nodeId\":\"a\",}]",
      "NATIVE     | ''",
  })
  void malformedJson(SpecFormat format, String json) {
    SpecProblem p = only(json, format);
    assertThat(p.kind()).isEqualTo(Kind.MALFORMED_JSON);
    assertThat(p.message()).isNotBlank();
  }

  @Test
  void malformedJsonSaysWhere() {
    SpecProblem p = only("{\n  \"id\": \"d\",\n  \"nodes\": [ }", SpecFormat.NATIVE);
    assertThat(p.path()).isEqualTo("line 3, column 14");
  }

  @Test
  void wrongTypesAreEachNamed() {
    InvalidDagException e = invalid("{\"id\":\"d\",\"version\":\"one\",\"priority\":1.5,\"nodes\":["
        + "{\"id\":\"a\",\"taskType\":7,\"timeout\":30,\"dependsOn\":\"b\",\"config\":[]},"
        + "{\"id\":\"b\",\"taskType\":\"t\",\"join\":\"some\",\"notBefore\":\"tomorrow\",\"retry\":{\"jitter\":2}}]}",
        SpecFormat.NATIVE);
    assertThat(e.problems()).extracting(SpecProblem::path).containsExactly(
        "version", "priority", "nodes[0].taskType", "nodes[0].config", "nodes[0].dependsOn",
        "nodes[0].timeout", "nodes[1].join", "nodes[1].retry.jitter", "nodes[1].notBefore");
    assertThat(e.problems().get(2).toString())
        .isEqualTo("node 'a' at nodes[0].taskType: must be a string, was the number 7");
    assertThat(e.problems().get(6).message()).contains("[all, one]", "\"some\"");
    assertThat(e.problems().get(7).message()).contains("jitter must be between 0 and 1, was 2.0");
    assertThat(e.problems().get(8).message()).contains("ISO-8601");
  }

  @Test
  void unknownFieldsAreErrorsOutsideMetadata() {
    InvalidDagException e = invalid("{\"id\":\"d\",\"colour\":\"red\",\"metadata\":{\"anything\":1},"
        + "\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\",\"depends_on\":[],"
        + "\"dependsOn\":[{\"node\":\"x\",\"typ\":\"success\"}],\"retry\":{\"attempts\":3}}]}",
        SpecFormat.NATIVE);
    assertThat(e.problems()).extracting(SpecProblem::path).containsExactly(
        "colour", "nodes[0].depends_on", "nodes[0].dependsOn[0].typ", "nodes[0].retry.attempts");
    assertThat(e.problems()).extracting(SpecProblem::kind).containsOnly(Kind.UNKNOWN_FIELD);
    assertThat(e.problems().get(1).nodeId()).contains("a");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "NATIVE     | {\"id\":\"d\",\"nodes\":[{\"taskType\":\"t\"}]}                 | nodes[0].id  | MISSING_FIELD",
      "NATIVE     | {\"id\":\"d\",\"nodes\":[{\"id\":null,\"taskType\":\"t\"}]}      | nodes[0].id  | INVALID_VALUE",
      "NATIVE     | {\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\"}]}                  | id           | MISSING_FIELD",
      "NATIVE     | {\"id\":null,\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\"}]}      | id           | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"nodes\":null}                                    | nodes        | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\"}                                                   | nodes        | MISSING_FIELD",
      "NATIVE     | {\"id\":\"d\",\"nodes\":[null]}                                  | nodes[0]     | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\",\"dependsOn\":null}]} | nodes[0].dependsOn | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\",\"dependsOn\":[null]}]} | nodes[0].dependsOn[0] | INVALID_VALUE",
      "NATIVE     | []                                                               | ''           | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"targets\":\"a\",\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\"}]} | targets | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"targets\":[1],\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\"}]} | targets[0] | INVALID_VALUE",
      "NATIVE     | {\"id\":\"d\",\"targets\":[\"b\"],\"nodes\":[{\"id\":\"a\",\"taskType\":\"t\"}]} | targets[0] | UNKNOWN_TARGET",
      "SCAN       | {\"nodes\":[{\"task_type\":\"t\"}]}                              | nodes[0].id  | MISSING_FIELD",
      "SCAN       | {\"nodes\":[{\"id\":\"a\"}]}                                     | nodes[0].task_type | MISSING_FIELD",
      "SCAN       | {\"nodes\":[{\"id\":\"a\",\"task_type\":\"t\",\"depends_on\":null}]} | nodes[0].depends_on | INVALID_VALUE",
      "SCAN       | {\"nodes\":[{\"id\":\"a\",\"task_type\":\"t\",\"depends_on\":[1]}]} | nodes[0].depends_on[0] | INVALID_VALUE",
      "SCAN       | {\"nodes\":[{\"id\":\"a\",\"task_type\":\"t\",\"retries\":2}]}   | nodes[0].retries | UNKNOWN_FIELD",
      "SCAN       | {\"nodes\":null}                                                 | nodes        | INVALID_VALUE",
      "SIMULATION | [{\"nodeType\":\"agent\",\"agentLoad\":\"x\"}]                    | nodes[0].nodeId | MISSING_FIELD",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"robot\",\"agentLoad\":\"x\"}]   | nodes[0].nodeType | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\"}]                       | nodes[0].agentLoad | MISSING_FIELD",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"pin\":true}] | nodes[0].pin | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"agentConfig\":\"[1]\"}] | nodes[0].agentConfig | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"dependencies\":[{\"type\":\"success\"}]}] | nodes[0].dependencies[0].sourceNodeId | MISSING_FIELD",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"dependencies\":null}] | nodes[0].dependencies | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"position\":{\"x\":1}}] | nodes[0].position | UNKNOWN_FIELD",
      "SIMULATION | [{\"nodeId\":\"a\",\"nodeType\":\"agent\",\"agentLoad\":\"x\",\"isRoot\":true,\"parentId\":\"b\"}] | nodes[0].isRoot | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"b\",\"nodeType\":\"box\",\"children\":[\"zz\"]}]    | nodes[0].children[0] | INVALID_VALUE",
      "SIMULATION | [{\"nodeId\":\"b\",\"nodeType\":\"box\",\"children\":[\"r\"]},{\"nodeId\":\"r\",\"nodeType\":\"box\",\"isRoot\":true}] | nodes[0].children[0] | INVALID_VALUE",
  })
  void missingNullAndMistypedFieldsAreNamed(SpecFormat format, String json, String path, Kind kind) {
    SpecProblem p = only(json, format);
    assertThat(p.path()).isEqualTo(path);
    assertThat(p.kind()).isEqualTo(kind);
  }

  @Test
  void aNodeWithABadFieldIsNamedByItsId() {
    SpecProblem p = only("[{\"nodeId\":\"agent_9\",\"nodeType\":\"agent\",\"agentLoad\":\"x\","
        + "\"dependencies\":[{\"sourceNodeId\":\"agent_1\",\"type\":\"sometimes\"}]}]", SpecFormat.SIMULATION);
    assertThat(p.toString()).startsWith("node 'agent_9' at nodes[0].dependencies[0].type:");
  }

  @Test
  void moreThanAMillionNodesInJson() {
    StringBuilder json = new StringBuilder(32_000_000).append("{\"id\":\"huge\",\"nodes\":[");
    for (int i = 0; i <= 1_000_000; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":\"n").append(i).append("\",\"taskType\":\"t\"}");
    }
    json.append("]}");
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> DagSpec.fromJson(json.toString()));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(Kind.TOO_MANY_NODES);
      assertThat(p.path()).isEqualTo("nodes");
      assertThat(p.message()).isEqualTo("1000001 nodes exceed the limit of 1000000");
    });
    assertThat(e.dagId()).contains("huge");
  }

  @Test
  void moreThanAMillionNodesFromTheBuilder() {
    DagSpec.Builder dag = DagSpec.builder("huge");
    NodeSpec.Builder node = NodeSpec.task("n", "t");
    for (int i = 0; i <= 1_000_000; i++) {
      dag.node(node);
    }
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class, dag::build);
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactly(Kind.TOO_MANY_NODES);
  }

  @Test
  void aLowerLimitCanBeSetOnTheReader() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> DagJson.reader().format(SpecFormat.SCAN).maxNodes(1)
            .read("{\"nodes\":[{\"id\":\"a\",\"task_type\":\"t\"},{\"id\":\"b\",\"task_type\":\"t\"}]}"));
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactly(Kind.TOO_MANY_NODES);
  }

  /**
   * Mutates valid documents of every format at random: whatever comes out, reading it either
   * succeeds or throws InvalidDagException, never a NullPointerException or a Jackson exception.
   */
  @Test
  void randomlyDamagedDocumentsOnlyEverGiveInvalidDagException() {
    long seed = 7_300_113L;
    SplittableRandom random = new SplittableRandom(seed);
    String[] samples = {
        SeedWorkflowsTest.resource("cicd.json"),
        SeedWorkflowsTest.resource("scan-pipeline.json"),
        SeedWorkflowsTest.resource("red-blue.json"),
        RandomSpecs.generate(1).toJson(),
        RandomSpecs.generate(2).toJson()};
    SpecFormat[] formats = {SpecFormat.NATIVE, SpecFormat.SCAN, SpecFormat.SIMULATION,
        SpecFormat.NATIVE, SpecFormat.NATIVE};
    String[] replacements = {"null", "1", "-1", "0", "\"\"", "[]", "{}", "true", "1.5e400",
        "\"PT-1S\"", "\"x y\"", "[null]", "{\"a\":null}", "\"\\u0000\""};
    int invalid = 0;
    for (int round = 0; round < 6_000; round++) {
      int which = random.nextInt(samples.length);
      String doc = mutate(samples[which], random, replacements);
      Throwable thrown = catchThrowable(() -> DagJson.read(doc, formats[which]));
      if (thrown != null) {
        assertThat(thrown).as("seed %d, round %d, document:%n%s", seed, round, doc)
            .isExactlyInstanceOf(InvalidDagException.class);
        assertThat(((InvalidDagException) thrown).problems()).isNotEmpty();
        invalid++;
      }
    }
    assertThat(invalid).as("most damaged documents are invalid").isGreaterThan(3_000);
  }

  private static String mutate(String doc, SplittableRandom random, String[] replacements) {
    StringBuilder s = new StringBuilder(doc);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, "{}[],:\"".charAt(random.nextInt(7)));
        default -> {
          // replace the value after a colon with another type of value
          int colon = s.indexOf(":", at);
          if (colon < 0) {
            break;
          }
          int end = colon + 1;
          while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
            end++;
          }
          s.replace(colon + 1, end, replacements[random.nextInt(replacements.length)]);
        }
      }
    }
    return s.toString();
  }
}
