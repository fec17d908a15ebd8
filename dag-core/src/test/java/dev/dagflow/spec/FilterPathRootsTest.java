package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dagflow.filter.Filter;
import dev.dagflow.spec.SpecProblem.Kind;
import org.junit.jupiter.api.Test;

/**
 * Edge conditions read {@code {"result", "state"}} and activations {@code {"params"}} (Filter,
 * "What a filter sees"): a path starting anywhere else could never resolve, so the spec is
 * refused when built or read, naming the node, the field and the path.
 */
class FilterPathRootsTest {

  private static DagSpec.Builder twoNodes(String condition, String activation) {
    NodeSpec.Builder b = NodeSpec.task("b", "t");
    if (condition != null) {
      b.dependsOn(Edge.of("a", EdgeType.SUCCESS, Filter.parse(condition).toJson()));
    }
    if (activation != null) {
      b.activation(Filter.parse(activation).toJson());
    }
    return DagSpec.builder("d").node(NodeSpec.task("a", "t")).node(b);
  }

  private static InvalidDagException invalid(DagSpec.Builder dag) {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class, dag::build);
    assertThat(e).as("expected an InvalidDagException").isNotNull();
    return e;
  }

  @Test
  void aConditionOnTheResultsFieldsAloneIsRefused() {
    InvalidDagException e = invalid(twoNodes("{\"status\": 200}", null));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(Kind.INVALID_FILTER);
      assertThat(p.nodeId()).contains("b");
      assertThat(p.path()).isEqualTo("nodes[1].dependsOn[0].condition");
      assertThat(p.message()).isEqualTo("path 'status' starts outside the document of an edge"
          + " condition, whose fields are result, state (did you mean 'result.status'?)");
    });
  }

  @Test
  void pathsUnderAndOrNotAreCheckedTooEachOnce() {
    InvalidDagException e = invalid(twoNodes("{\"result.ok\": true, \"$or\": [{\"state\":"
        + " \"COMPLETED\"}, {\"$not\": {\"code\": 1}}], \"$and\": [{\"code\": {\"$gt\": 0}},"
        + " {\"result.x\": 1}, {\"payload.y\": 2}]}", null));
    assertThat(e.problems()).extracting(SpecProblem::message).containsExactly(
        "path 'code' starts outside the document of an edge condition, whose fields are result,"
            + " state (did you mean 'result.code'?)",
        "path 'payload.y' starts outside the document of an edge condition, whose fields are"
            + " result, state (did you mean 'result.payload.y'?)");
  }

  @Test
  void anActivationMustReadParams() {
    InvalidDagException e = invalid(twoNodes(null, "{\"env\": \"prod\"}"));
    SpecProblem p = e.problems().get(0);
    assertThat(e.problems()).hasSize(1);
    assertThat(p.path()).isEqualTo("nodes[1].activation");
    assertThat(p.toString()).isEqualTo("node 'b' at nodes[1].activation: path 'env' starts"
        + " outside the document of an activation condition, whose fields are params (did you"
        + " mean 'params.env'?)");
  }

  @Test
  void aNodeBuiltAloneIsCheckedToo() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> NodeSpec.task("b", "t").activation(Filter.parse("{\"params\": {\"$exists\": true},"
            + " \"result.x\": 1}").toJson()).build());
    assertThat(e.problems()).extracting(SpecProblem::path).containsExactly("activation");
    assertThat(e.problems().get(0).message()).startsWith("path 'result.x' starts outside");
  }

  @Test
  void pathsInTheirDocumentsAreAccepted() {
    DagSpec spec = twoNodes("{\"result\": {\"$exists\": true}, \"state\": \"COMPLETED\","
        + " \"result.items.0.name\": \"x\", \"$or\": [{\"result.a\": 1}, {\"result.b\": 2}]}",
        "{\"params.env\": \"prod\", \"$not\": {\"params\": null}}").build();
    assertThat(spec.nodes().get(1).edges().get(0).hasCondition()).isTrue();
    assertThat(twoNodes("{}", "{}").build().nodes()).hasSize(2);
  }

  @Test
  void specsReadFromJsonAreRefusedTheSameWay() {
    InvalidDagException nativeFormat = catchThrowableOfType(InvalidDagException.class,
        () -> DagJson.read("{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\"},"
            + " {\"id\": \"b\", \"taskType\": \"t\", \"dependsOn\": [{\"node\": \"a\","
            + " \"condition\": {\"status\": 200}}]}]}"));
    assertThat(nativeFormat.problems()).extracting(SpecProblem::path)
        .containsExactly("nodes[1].dependsOn[0].condition");
    InvalidDagException simulation = catchThrowableOfType(InvalidDagException.class,
        () -> DagJson.read("[{\"nodeId\": \"a\", \"nodeType\": \"agent\", \"agentLoad\": \"t\","
            + " \"activation\": {\"env\": \"prod\"}}]", SpecFormat.SIMULATION));
    assertThat(simulation.problems()).extracting(SpecProblem::kind, SpecProblem::nodeId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.INVALID_FILTER,
            java.util.Optional.of("a")));
  }
}
