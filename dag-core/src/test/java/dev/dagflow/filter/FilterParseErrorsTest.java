package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad filter is refused at parse time with the path of the problem; nothing else escapes. */
class FilterParseErrorsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static FilterException refused(Object filter) {
    Throwable thrown = catchThrowable(() -> {
      if (filter instanceof String text) {
        Filter.parse(text);
      } else {
        Filter.parse((JsonNode) filter);
      }
    });
    assertThat(thrown).as("parsing %s", filter).isInstanceOf(FilterException.class);
    FilterException e = (FilterException) thrown;
    if (!e.path().isEmpty()) {
      assertThat(e.getMessage()).startsWith(e.path() + ": ");
    }
    return e;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
      # not an object
      [1]                                                    | ''
      "x"                                                    | ''
      null                                                   | ''
      42                                                     | ''
      # unknown operators
      {"a": {"$foo": 1}}                                     | a.$foo
      {"a": {"$in": [1], "$oops": 2}}                        | a.$oops
      {"a": {"$and": [{}]}}                                  | a.$and
      {"$foo": 1}                                            | $foo
      {"$gt": 1}                                             | $gt
      {"$where": "x"}                                        | $where
      # operands of the wrong type
      {"payload.port": {"$gt": {}}}                          | payload.port.$gt
      {"a": {"$gt": []}}                                     | a.$gt
      {"a": {"$gte": true}}                                  | a.$gte
      {"a": {"$lt": null}}                                   | a.$lt
      {"a": {"$lte": [1]}}                                   | a.$lte
      {"a": {"$in": 1}}                                      | a.$in
      {"a": {"$in": {"b": 1}}}                               | a.$in
      {"a": {"$nin": "x"}}                                   | a.$nin
      {"a": {"$exists": 1}}                                  | a.$exists
      {"a": {"$exists": "true"}}                             | a.$exists
      {"a": {"$exists": null}}                               | a.$exists
      {"a": {"$regex": 5}}                                   | a.$regex
      {"a": {"$regex": ["x"]}}                               | a.$regex
      # regular expressions that do not compile
      {"a": {"$regex": "[a"}}                                | a.$regex
      {"a": {"$regex": "(x"}}                                | a.$regex
      {"a": {"$regex": "*x"}}                                | a.$regex
      # empty lists
      {"a": []}                                              | a
      {"a": {"$in": []}}                                     | a.$in
      {"a": {"$nin": []}}                                    | a.$nin
      {"$and": []}                                           | $and
      {"$or": []}                                            | $or
      # combinators of the wrong shape
      {"$and": {}}                                           | $and
      {"$and": [1]}                                          | $and[0]
      {"$and": [{}, []]}                                     | $and[1]
      {"$or": "x"}                                           | $or
      {"$or": [{"a": 1}, null]}                              | $or[1]
      {"$not": []}                                           | $not
      {"$not": 1}                                            | $not
      # operators and fields mixed
      {"a": {"$gt": 1, "b": 2}}                              | a
      {"a": {"b": 2, "$gt": 1}}                              | a
      # bad paths
      {"a..b": 1}                                            | a..b
      {".a": 1}                                              | .a
      {"a.": 1}                                              | a.
      {"": 1}                                                | ''
      {"a.$gt": 1}                                           | a.$gt
      # problems deep inside combinators
      {"$or": [{"a": 1}, {"status": {"$bad": 1}}]}           | $or[1].status.$bad
      {"$or": [{"a": 1}, {"status": {"$in": 3}}]}            | $or[1].status.$in
      {"$not": {"a": {"$regex": "("}}}                       | $not.a.$regex
      {"$and": [{"$or": [{"x": {"$exists": null}}]}]}        | $and[0].$or[0].x.$exists
      {"$and": [{"b": 1}, {"$not": {"$or": [{}, {"c..d": 1}]}}]} | $and[1].$not.$or[1].c..d
      {"ok": 1, "$or": [{"$foo": []}]}                       | $or[0].$foo
      """)
  void badFiltersNameThePath(String filter, String path) {
    assertThat(refused(filter).path()).isEqualTo(path);
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertThat(refused("{\"payload.port\": {\"$gt\": {}}}").getMessage())
        .isEqualTo("payload.port.$gt: must be a number or a string, was an object");
    assertThat(refused("{\"a\": {\"$foo\": 1}}").getMessage())
        .startsWith("a.$foo: unknown operator $foo; known operators are $eq, $ne, $in");
    assertThat(refused("{\"a\": {\"$regex\": \"[a\"}}").getMessage())
        .startsWith("a.$regex: invalid regular expression \"[a\": missing closing ]");
    assertThat(refused("{\"a\": {\"$gt\": 1, \"b\": 2}}").getMessage())
        .isEqualTo("a: mixes operators [$gt] with fields [b]; an object is either all operators"
            + " or a literal value to match exactly");
    assertThat(refused("[1]").getMessage()).isEqualTo("a filter must be a JSON object, was an array");
    assertThat(refused("{\"$gt\": 1}").getMessage())
        .isEqualTo("$gt: operator $gt applies to a path, as in {\"path\": {\"$gt\": ...}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": ", "{\"a\": 1} x", "{'a': 1}", "{a: 1}", "{\"a\": 1,}",
      "{\"a\": 1, \"a\": 2}", "{\"a\": NaN}", "{\"a\": 1} // comment", "", "   "})
  void malformedJsonIsAFilterExceptionForTheWholeFilter(String text) {
    FilterException e = refused(text);
    assertThat(e.path()).isEmpty();
    assertThat(e.getMessage()).startsWith("malformed JSON");
    if (!text.isBlank()) {
      assertThat(e.getMessage()).contains("at line 1, column");
    }
  }

  @Test
  void malformedJsonSaysWhere() {
    assertThat(refused("{\n  \"a\": 1,\n  \"b\": [ }").getMessage())
        .startsWith("malformed JSON at line 3, column 10: ");
  }

  @Test
  void valuesJsonTextCannotHoldAreRefused() {
    assertThat(refused(JSON.objectNode().put("a", Double.NaN)).path()).isEqualTo("a");
    assertThat(refused(JSON.objectNode().set("a", JSON.objectNode()
        .put("$gt", Double.POSITIVE_INFINITY))).path()).isEqualTo("a.$gt");
    assertThat(refused(JSON.objectNode().set("a", JSON.objectNode()
        .set("$in", JSON.arrayNode().add(1).add(Float.NaN)))).path()).isEqualTo("a.$in[1]");
    assertThat(refused(JSON.objectNode().set("a", JSON.objectNode()
        .set("$eq", JSON.pojoNode(List.of(1))))).path()).isEqualTo("a.$eq");
    assertThat(refused(JSON.objectNode().set("a", JSON.objectNode()
        .set("b", JSON.binaryNode(new byte[] {1})))).path()).isEqualTo("a");
  }

  @Test
  void filtersNestedTooDeeplyAreRefused() {
    ObjectNode filter = JSON.objectNode().put("a", 1);
    for (int i = 0; i < 60; i++) {
      filter = JSON.objectNode().set("$not", filter);
    }
    assertThat(Filter.parse(filter).matches(JSON.objectNode().put("a", 1))).isTrue();
    for (int i = 0; i < 60; i++) {
      filter = JSON.objectNode().set("$not", filter);
    }
    FilterException e = refused(filter);
    assertThat(e.path()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("the filter is nested more than 100 levels deep");
  }
}
