package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.json.internal.JsonPath;
import dev.dagflow.json.internal.JsonValues;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What filters match, what they explain, and the keys they offer an index. */
class FilterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ObjectNode doc(String field, JsonNode value) {
    return JSON.objectNode().set(field, value);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # scalars: equality, numbers by value, arrays containing the scalar
      {"a": 1}                        | {"a": 1}                  | true
      {"a": 1}                        | {"a": 2}                  | false
      {"a": 1}                        | {"a": 1.0}                | true
      {"a": 1.0}                      | {"a": 1}                  | true
      {"a": "x"}                      | {"a": "x"}                | true
      {"a": "x"}                      | {"a": "y"}                | false
      {"a": "1"}                      | {"a": 1}                  | false
      {"a": true}                     | {"a": true}               | true
      {"a": true}                     | {"a": false}              | false
      {"a": null}                     | {"a": null}               | true
      {"a": null}                     | {"a": 0}                  | false
      {"a": null}                     | {}                        | false
      {"a": 1}                        | {}                        | false
      {"a": "x"}                      | {"a": ["y", "x"]}         | true
      {"a": "x"}                      | {"a": ["y"]}              | false
      {"a": 1, "b": 2}                | {"a": 1, "b": 2}          | true
      {"a": 1, "b": 2}                | {"a": 1, "b": 3}          | false
      # nested objects and array indexes
      {"a.b.c": 1}                    | {"a": {"b": {"c": 1}}}    | true
      {"a.b.c": 1}                    | {"a": {"b": {"c": 2}}}    | false
      {"a.b.c": 1}                    | {"a": {"b": 1}}           | false
      {"items.0.name": "x"}           | {"items": [{"name": "x"}]} | true
      {"items.1.name": "x"}           | {"items": [{"name": "x"}]} | false
      {"items.name": "x"}             | {"items": [{"name": "x"}]} | false
      {"a.0": 5}                      | {"a": {"0": 5}}           | true
      {"a.0": 5}                      | {"a": [5, 6]}             | true
      {"a.1.1": 6}                    | {"a": [5, [0, 6]]}        | true
      # literal objects: exact structure, numbers by value
      {"a": {"b": 1}}                 | {"a": {"b": 1}}           | true
      {"a": {"b": 1}}                 | {"a": {"b": 1.0}}         | true
      {"a": {"b": 1}}                 | {"a": {"b": 1, "c": 2}}   | false
      {"a": {"b": 1}}                 | {"a": [{"b": 1}]}         | true
      {"a": {}}                       | {"a": {}}                 | true
      {"a": {}}                       | {"a": {"b": 1}}           | false
      # lists
      {"asset.type": ["domain", "ip"]} | {"asset": {"type": "domain"}} | true
      {"asset.type": ["domain", "ip"]} | {"asset": {"type": "ip"}}  | true
      {"asset.type": ["domain", "ip"]} | {"asset": {"type": "url"}} | false
      {"asset.type": ["domain", "ip"]} | {"asset": {}}              | false
      {"a": [1, 2]}                   | {"a": 2.0}                | true
      {"a": [1, 2]}                   | {"a": [3, 2]}             | true
      {"a": [1, 2]}                   | {"a": [3, 4]}             | false
      {"a": [1, 2]}                   | {"a": []}                 | false
      {"a": [[1, 2], 3]}              | {"a": [1, 2]}             | true
      {"a": [[1, 2], 3]}              | {"a": [2, 1]}             | false
      # $eq, $ne
      {"a": {"$eq": 1}}               | {"a": 1}                  | true
      {"a": {"$eq": 1}}               | {"a": 2}                  | false
      {"a": {"$eq": 1}}               | {"a": [0, 1]}             | true
      {"a": {"$eq": [1, 2]}}          | {"a": [1, 2]}             | true
      {"a": {"$eq": [1, 2]}}          | {"a": [2, 1]}             | false
      {"a": {"$eq": {"$gt": 1}}}      | {"a": {"$gt": 1}}         | true
      {"a": {"$ne": 1}}               | {"a": 2}                  | true
      {"a": {"$ne": 1}}               | {"a": 1.0}                | false
      {"a": {"$ne": 1}}               | {"a": [2, 3]}             | true
      {"a": {"$ne": 1}}               | {"a": [2, 1]}             | false
      {"a": {"$ne": null}}            | {"a": null}               | false
      {"a": {"$ne": null}}            | {"a": 0}                  | true
      # $in, $nin: list against list both ways
      {"a": {"$in": ["x", "y"]}}      | {"a": "y"}                | true
      {"a": {"$in": ["x", "y"]}}      | {"a": "z"}                | false
      {"a": {"$in": ["x", "y"]}}      | {"a": ["z", "x"]}         | true
      {"a": {"$in": ["x", "y"]}}      | {"a": ["z"]}              | false
      {"a": {"$in": [1, "1"]}}        | {"a": 1.0}                | true
      {"a": {"$in": [2, null]}}       | {"a": null}               | true
      {"a": {"$nin": ["x", "y"]}}     | {"a": "z"}                | true
      {"a": {"$nin": ["x", "y"]}}     | {"a": "x"}                | false
      {"a": {"$nin": ["x", "y"]}}     | {"a": ["z", "x"]}         | false
      {"a": {"$nin": ["x", "y"]}}     | {"a": ["z"]}              | true
      # $gt, $gte, $lt, $lte
      {"a": {"$gt": 400}}             | {"a": 443}                | true
      {"a": {"$gt": 400}}             | {"a": 400}                | false
      {"a": {"$gte": 400}}            | {"a": 400.0}              | true
      {"a": {"$gte": 400}}            | {"a": 399.9}              | false
      {"a": {"$lt": 10}}              | {"a": 9.5}                | true
      {"a": {"$lt": 10}}              | {"a": 10.0}               | false
      {"a": {"$lte": 10}}             | {"a": 10.0}               | true
      {"a": {"$lte": 10}}             | {"a": 10.5}               | false
      {"a": {"$gt": 9.5}}             | {"a": 10}                 | true
      {"a": {"$gt": -1}}              | {"a": -0.5}               | true
      {"a": {"$gt": "b"}}             | {"a": "c"}                | true
      {"a": {"$gt": "b"}}             | {"a": "b"}                | false
      {"a": {"$gte": "b"}}            | {"a": "b"}                | true
      {"a": {"$lt": "2026-01-01"}}    | {"a": "2025-12-31T23:59:59Z"} | true
      {"a": {"$lte": "abc"}}          | {"a": "abd"}              | false
      {"a": {"$gt": 1}}               | {"a": "2"}                | false
      {"a": {"$gt": "1"}}             | {"a": 2}                  | false
      {"a": {"$gt": 1}}               | {"a": true}               | false
      {"a": {"$lt": 1}}               | {"a": null}               | false
      {"a": {"$lt": 1}}               | {"a": {"b": 0}}           | false
      {"a": {"$gt": 5}}               | {"a": [1, 7]}             | true
      {"a": {"$gt": 5}}               | {"a": [1, 2]}             | false
      {"a": {"$gt": 5}}               | {"a": [[7]]}              | false
      {"a": {"$gt": 5, "$lt": 7}}     | {"a": 6}                  | true
      {"a": {"$gt": 5, "$lt": 7}}     | {"a": 8}                  | false
      {"a": {"$gt": 9223372036854775807}} | {"a": 9223372036854775808} | true
      {"a": {"$lt": 123456789012345678901234567890}} | {"a": 1.0e29} | true
      {"a": {"$gt": 123456789012345678901234567890}} | {"a": 1.0e29} | false
      # $exists: JSON null exists
      {"a": {"$exists": true}}        | {"a": null}               | true
      {"a": {"$exists": true}}        | {"b": 1}                  | false
      {"a": {"$exists": false}}       | {"b": 1}                  | true
      {"a": {"$exists": false}}       | {"a": 0}                  | false
      {"a.b": {"$exists": true}}      | {"a": 5}                  | false
      # $regex: find semantics unless anchored
      {"a": {"$regex": "ell"}}        | {"a": "hello"}            | true
      {"a": {"$regex": "^ell"}}       | {"a": "hello"}            | false
      {"a": {"$regex": "^h.*o$"}}     | {"a": "hello"}            | true
      {"a": {"$regex": "^hell$"}}     | {"a": "hello"}            | false
      {"a": {"$regex": "(?i)^HEL"}}   | {"a": "hello"}            | true
      {"a": {"$regex": "\\\\.example\\\\.com$"}} | {"a": "www.example.com"} | true
      {"a": {"$regex": "\\\\.example\\\\.com$"}} | {"a": "www-example.com"} | false
      {"a": {"$regex": "1"}}          | {"a": 1}                  | false
      {"a": {"$regex": "x"}}          | {"a": ["a", "xy"]}        | true
      {"a": {"$regex": "x"}}          | {"a": ["a", "b"]}         | false
      # $contains: arrays and strings
      {"a": {"$contains": "x"}}       | {"a": ["y", "x"]}         | true
      {"a": {"$contains": "x"}}       | {"a": ["y", "xy"]}        | false
      {"a": {"$contains": "ell"}}     | {"a": "hello"}            | true
      {"a": {"$contains": "elo"}}     | {"a": "hello"}            | false
      {"a": {"$contains": 1}}         | {"a": [1.0, 2]}           | true
      {"a": {"$contains": {"k": 1}}}  | {"a": [{"k": 1}]}         | true
      {"a": {"$contains": [1]}}       | {"a": [[1], 2]}           | true
      {"a": {"$contains": 1}}         | {"a": "1"}                | false
      {"a": {"$contains": "x"}}       | {"a": 5}                  | false
      # $and, $or, $not, nested
      {}                              | {"a": 1}                  | true
      {"$and": [{"a": 1}, {"b": 2}]}  | {"a": 1, "b": 2}          | true
      {"$and": [{"a": 1}, {"b": 2}]}  | {"a": 1, "b": 3}          | false
      {"$or": [{"a": 1}, {"b": 2}]}   | {"a": 0, "b": 2}          | true
      {"$or": [{"a": 1}, {"b": 2}]}   | {"a": 0, "b": 0}          | false
      {"$not": {"a": 1}}              | {"a": 2}                  | true
      {"$not": {"a": 1}}              | {"a": 1}                  | false
      {"$not": {"a": 1}}              | {}                        | true
      {"$not": {}}                    | {}                        | false
      {"x": 1, "$or": [{"a": 1}, {"b": 1}]} | {"x": 1, "b": 1}    | true
      {"x": 1, "$or": [{"a": 1}, {"b": 1}]} | {"x": 2, "b": 1}    | false
      {"$or": [{"$and": [{"a": 1}, {"b": {"$gt": 1}}]}, {"$not": {"c": {"$exists": true}}}]} | {"a": 1, "b": 2, "c": 0} | true
      {"$or": [{"$and": [{"a": 1}, {"b": {"$gt": 1}}]}, {"$not": {"c": {"$exists": true}}}]} | {"a": 1, "b": 0, "c": 0} | false
      {"$or": [{"$and": [{"a": 1}, {"b": {"$gt": 1}}]}, {"$not": {"c": {"$exists": true}}}]} | {"a": 1, "b": 0} | true
      {"$and": [{"$or": [{"a": 1}, {"a": 2}]}, {"$or": [{"b": 1}, {"b": 2}]}]} | {"a": 2, "b": 1} | true
      {"$and": [{"$or": [{"a": 1}, {"a": 2}]}, {"$or": [{"b": 1}, {"b": 2}]}]} | {"a": 2, "b": 3} | false
      # documents that are not objects
      {"a": 1}                        | 5                         | false
      {"0": 5}                        | [5]                       | true
      {"a": {"$exists": false}}       | null                      | true
      {"a": {"$ne": 1}}               | "text"                    | true
      """)
  void matches(String filter, String document, boolean expected) {
    Filter f = Filter.parse(filter);
    JsonNode d = json(document);
    assertThat(f.matches(d)).isEqualTo(expected);
    assertThat(f.explain(d).matched()).as("explain agrees").isEqualTo(expected);
  }

  /** A missing path matches only the operators that say "not": $ne, $nin, $exists: false. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      1                       | false
      ["x", 2]                | false
      {"k": 1}                | false
      {"$eq": null}           | false
      {"$ne": 1}              | true
      {"$in": [null]}         | false
      {"$nin": [1]}           | true
      {"$gt": 0}              | false
      {"$gte": ""}            | false
      {"$lt": 0}              | false
      {"$lte": "z"}           | false
      {"$exists": true}       | false
      {"$exists": false}      | true
      {"$regex": ""}          | false
      {"$contains": ""}       | false
      """)
  void missingPaths(String condition, boolean expected) {
    for (String path : List.of("nope", "a.nope", "a.b.c", "list.5", "list.x", "s.0")) {
      Filter f = Filter.parse("{\"" + path + "\": " + condition + "}");
      JsonNode document = json("{\"a\": {\"b\": 1}, \"list\": [1], \"s\": \"str\"}");
      assertThat(f.matches(document)).as("%s", f).isEqualTo(expected);
      assertThat(f.matches(MissingNode.getInstance())).as("%s on MissingNode", f)
          .isEqualTo(expected);
      assertThat(f.explain(document).lines()).as("%s", f)
          .containsExactly(path + ": missing -> " + (expected ? "match" : "no match"));
    }
  }

  @Test
  void explainsANonMatch() {
    Filter f = Filter.parse("{\"payload.asset.type\": [\"domain\", \"ip\"],"
        + " \"payload.port\": {\"$gt\": 400}, \"payload.owner\": \"bob\"}");
    Filter.Explanation e = f.explain(json(
        "{\"payload\": {\"asset\": {\"type\": \"url\"}, \"port\": 443}}"));
    assertThat(e.matched()).isFalse();
    assertThat(e.lines()).containsExactly(
        "payload.asset.type: \"url\" is not one of [\"domain\",\"ip\"] -> no match",
        "payload.port: 443 > 400 -> match",
        "payload.owner: missing -> no match");
    assertThat(e.toString()).isEqualTo("""
        no match
          payload.asset.type: "url" is not one of ["domain","ip"] -> no match
          payload.port: 443 > 400 -> match
          payload.owner: missing -> no match""");
  }

  @Test
  void explainsAMatch() {
    Filter f = Filter.parse("""
        {"type": {"$in": ["a", "b"]}, "tags": "x", "size": {"$gte": 2, "$lt": 10},
         "$or": [{"n": {"$lt": 5}}, {"n": {"$regex": "^z"}}],
         "$not": {"gone": {"$exists": true}},
         "$and": [{"name": {"$contains": "ell"}}, {"tags": {"$nin": ["q"]}}]}""");
    Filter.Explanation e = f.explain(json("""
        {"type": "b", "tags": ["y", "x"], "size": 2.0, "n": 3, "name": "hello"}"""));
    assertThat(e.matched()).isTrue();
    assertThat(e.toString()).isEqualTo("""
        match
          type: "b" is one of ["a","b"] -> match
          tags: ["y","x"] contains "x" -> match
          size: 2.0 >= 2 -> match
          size: 2.0 < 10 -> match
          $or: 1 of 2 filters match -> match
          $or[0].n: 3 < 5 -> match
          $or[1].n: 3 does not match regex "^z" (not a string) -> no match
          $not: the filter does not match -> match
          $not.gone: missing -> no match
          $and: 2 of 2 filters match -> match
          $and[0].name: "hello" contains "ell" -> match
          $and[1].tags: ["y","x"] has no element in ["q"] -> match""");
  }

  @Test
  void explainsEveryOperatorBothWays() {
    JsonNode d = json("{\"s\": \"hello\", \"n\": 7, \"l\": [1, \"b\"], \"o\": {\"k\": 1}}");
    assertThat(explainLine("{\"n\": 7}", d)).isEqualTo("n: 7 == 7 -> match");
    assertThat(explainLine("{\"n\": 8}", d)).isEqualTo("n: 7 != 8 -> no match");
    assertThat(explainLine("{\"l\": 1}", d)).isEqualTo("l: [1,\"b\"] contains 1 -> match");
    assertThat(explainLine("{\"l\": 2}", d)).isEqualTo("l: [1,\"b\"] does not contain 2 -> no match");
    assertThat(explainLine("{\"o\": {\"k\": 1.0}}", d)).isEqualTo("o: {\"k\":1} == {\"k\":1.0} -> match");
    assertThat(explainLine("{\"n\": {\"$ne\": 7}}", d)).isEqualTo("n: 7 == 7 -> no match");
    assertThat(explainLine("{\"l\": {\"$ne\": 3}}", d))
        .isEqualTo("l: [1,\"b\"] does not contain 3 -> match");
    assertThat(explainLine("{\"l\": [\"b\", 9]}", d))
        .isEqualTo("l: [1,\"b\"] has an element in [\"b\",9] -> match");
    assertThat(explainLine("{\"l\": {\"$nin\": [\"b\"]}}", d))
        .isEqualTo("l: [1,\"b\"] has an element in [\"b\"] -> no match");
    assertThat(explainLine("{\"n\": {\"$nin\": [1, 2]}}", d))
        .isEqualTo("n: 7 is not one of [1,2] -> match");
    assertThat(explainLine("{\"n\": {\"$lte\": 6.5}}", d)).isEqualTo("n: 7 is not <= 6.5 -> no match");
    assertThat(explainLine("{\"s\": {\"$lt\": 6}}", d))
        .isEqualTo("s: \"hello\" is not < 6 (not a number) -> no match");
    assertThat(explainLine("{\"n\": {\"$gt\": \"a\"}}", d))
        .isEqualTo("n: 7 is not > \"a\" (not a string) -> no match");
    assertThat(explainLine("{\"l\": {\"$gte\": 1}}", d))
        .isEqualTo("l: [1,\"b\"] has an element >= 1 -> match");
    assertThat(explainLine("{\"l\": {\"$gt\": 1}}", d))
        .isEqualTo("l: [1,\"b\"] has no element > 1 -> no match");
    assertThat(explainLine("{\"s\": {\"$exists\": false}}", d))
        .isEqualTo("s: \"hello\" exists -> no match");
    assertThat(explainLine("{\"s\": {\"$regex\": \"^h\"}}", d))
        .isEqualTo("s: \"hello\" matches regex \"^h\" -> match");
    assertThat(explainLine("{\"s\": {\"$regex\": \"^e\"}}", d))
        .isEqualTo("s: \"hello\" does not match regex \"^e\" -> no match");
    assertThat(explainLine("{\"l\": {\"$regex\": \"b\"}}", d))
        .isEqualTo("l: [1,\"b\"] has an element matching regex \"b\" -> match");
    assertThat(explainLine("{\"l\": {\"$contains\": \"b\"}}", d))
        .isEqualTo("l: [1,\"b\"] contains \"b\" -> match");
    assertThat(explainLine("{\"n\": {\"$contains\": 7}}", d))
        .isEqualTo("n: 7 does not contain 7 (not an array or string) -> no match");
    assertThat(Filter.parse("{\"$not\": {\"n\": 7}}").explain(d).lines())
        .containsExactly("$not: the filter matches -> no match", "$not.n: 7 == 7 -> match");
  }

  private static String explainLine(String filter, JsonNode document) {
    List<String> lines = Filter.parse(filter).explain(document).lines();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void explanationCutsLongValues() {
    String line = explainLine("{\"s\": \"x\"}", doc("s", TextNode.valueOf("y".repeat(200))));
    assertThat(line).isEqualTo("s: \"" + "y".repeat(76) + "... != \"x\" -> no match");
  }

  @Test
  void alwaysMatchesEverything() {
    for (JsonNode d : List.of(json("{}"), json("{\"a\": 1}"), json("[]"), json("3"),
        NullNode.getInstance(), MissingNode.getInstance())) {
      assertThat(Filter.always().matches(d)).isTrue();
      assertThat(Filter.always().explain(d).toString()).isEqualTo("match");
    }
    assertThat(Filter.always()).isEqualTo(Filter.parse("{}"));
    assertThat(Filter.always().equalityKeys()).isEmpty();
  }

  @Test
  void isAValueOfItsSourceJson() {
    ObjectNode source = (ObjectNode) json("{\"a\": {\"$in\": [1, 2]}, \"b\": \"x\"}");
    Filter f = Filter.parse(source);
    source.put("b", "changed");
    assertThat(f.toString()).isEqualTo("{\"a\":{\"$in\":[1,2]},\"b\":\"x\"}");
    assertThat(f.matches(json("{\"a\": 1, \"b\": \"x\"}"))).isTrue();

    ObjectNode copy = f.toJson();
    copy.put("b", "changed too");
    assertThat(f.toJson()).isEqualTo(json("{\"a\": {\"$in\": [1, 2]}, \"b\": \"x\"}"));

    Filter same = Filter.parse("{\"a\": {\"$in\": [1, 2]}, \"b\": \"x\"}");
    assertThat(f).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(f).isNotEqualTo(Filter.parse("{\"b\": \"x\"}"));
  }

  @Test
  void refusesNullArguments() {
    Filter f = Filter.parse("{\"a\": 1}");
    assertThatThrownBy(() -> f.matches(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> f.explain(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Filter.parse((String) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Filter.parse((JsonNode) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalityKeysListWhatEveryMatchNeeds() {
    Filter f = Filter.parse("""
        {"type": "asset_created", "payload.asset.type": ["domain", "ip"],
         "port": {"$in": [80, 443.0], "$gt": 1}, "n": {"$eq": 1.0}, "flag": true, "none": null,
         "x": {"$gt": 1}, "o": {"k": 1}, "l": [1, {"k": 1}], "ne": {"$ne": 1},
         "$or": [{"y": 1}], "$not": {"z": 1}, "$and": [{"type": ["asset_created", "other"]}]}""");
    assertThat(f.equalityKeys()).containsExactly(
        Map.entry("type", List.of(TextNode.valueOf("asset_created"))),
        Map.entry("payload.asset.type", List.of(TextNode.valueOf("domain"), TextNode.valueOf("ip"))),
        Map.entry("port", List.of(LongNode.valueOf(80), LongNode.valueOf(443))),
        Map.entry("n", List.of(LongNode.valueOf(1))),
        Map.entry("flag", List.of(JSON.booleanNode(true))),
        Map.entry("none", List.of(NullNode.getInstance())));
    assertThatThrownBy(() -> f.equalityKeys().put("a", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> f.equalityKeys().get("type").add(NullNode.getInstance()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityKeysCanonicaliseAndKeepTheMostSelectiveSet() {
    assertThat(Filter.parse("{\"a\": [1, 1.0, 1e0, 2.5, 1e20]}").equalityKeys().get("a"))
        .containsExactly(LongNode.valueOf(1), DoubleNode.valueOf(2.5), DoubleNode.valueOf(1e20));
    assertThat(Filter.parse("{\"a\": [1, 2, 3], \"$and\": [{\"a\": {\"$in\": [2, 3, 4]}},"
        + " {\"$and\": [{\"a\": {\"$eq\": 3.0, \"$in\": [3, 2]}}]}]}").equalityKeys())
        .containsExactly(Map.entry("a", List.of(LongNode.valueOf(3))));
    // not the intersection: an array value can meet each constraint with a different element
    Filter both = Filter.parse("{\"a\": 1, \"$and\": [{\"a\": 2}], \"b\": {\"$eq\": 1, \"$in\": [2]}}");
    assertThat(both.equalityKeys()).containsExactly(
        Map.entry("a", List.of(LongNode.valueOf(1))), Map.entry("b", List.of(LongNode.valueOf(1))));
    assertThat(both.matches(json("{\"a\": [2, 1], \"b\": [1, 2]}"))).isTrue();
    assertThat(Filter.parse(doc("a", JSON.numberNode(new BigDecimal("7.000")))).equalityKeys())
        .containsExactly(Map.entry("a", List.of(LongNode.valueOf(7))));
  }

  /**
   * Random filters against random documents: explain agrees with matches, $not negates, $ne and
   * $nin negate $eq and $in, the plain forms are $eq and $in, a text round trip changes nothing,
   * and every match has the values equalityKeys promises.
   */
  @Test
  void propertiesHoldForRandomFiltersAndDocuments() {
    for (long seed = 1; seed <= 2000; seed++) {
      long at = seed;
      RandomFilters random = new RandomFilters(seed);
      ObjectNode source = random.filter(3);
      Filter f = Filter.parse(source);
      Filter not = Filter.parse(JSON.objectNode().set("$not", source));
      Filter reparsed = Filter.parse(f.toString());
      assertThat(Filter.parse(f.toJson())).isEqualTo(f);
      String path = random.path();
      JsonNode value = random.value(2);
      ArrayNode list = random.list();
      Filter plain = Filter.parse(doc(path, value.isArray() ? list : value));
      Filter eq = Filter.parse(doc(path, JSON.objectNode().set("$eq", value)));
      Filter ne = Filter.parse(doc(path, JSON.objectNode().set("$ne", value)));
      Filter listForm = Filter.parse(doc(path, list));
      Filter in = Filter.parse(doc(path, JSON.objectNode().set("$in", list)));
      Filter nin = Filter.parse(doc(path, JSON.objectNode().set("$nin", list)));
      for (int d = 0; d < 10; d++) {
        JsonNode document = random.document();
        // described lazily: printing every document would cost more than the checks
        Supplier<String> what = () -> "seed " + at + ": filter " + f + " on " + document;
        boolean matched = f.matches(document);
        assertThat(f.explain(document).matched()).as(what).isEqualTo(matched);
        assertThat(not.matches(document)).as(what).isEqualTo(!matched);
        assertThat(reparsed.matches(document)).as(what).isEqualTo(matched);
        if (matched) {
          assertEqualityKeysHold(f, document, what);
        }
        boolean isEq = eq.matches(document);
        assertThat(ne.matches(document)).as(() -> what.get() + ", " + eq).isEqualTo(!isEq);
        assertThat(plain.matches(document)).as(() -> what.get() + ", " + plain)
            .isEqualTo(value.isArray() ? in.matches(document) : isEq);
        assertThat(listForm.matches(document)).as(() -> what.get() + ", " + in)
            .isEqualTo(in.matches(document));
        assertThat(nin.matches(document)).as(() -> what.get() + ", " + in)
            .isEqualTo(!in.matches(document));
        assertThat(eq.explain(document).matched()).as(what).isEqualTo(isEq);
      }
    }
  }

  private static void assertEqualityKeysHold(Filter f, JsonNode document, Supplier<String> what) {
    f.equalityKeys().forEach((key, accepted) -> {
      JsonNode v = JsonPath.parse(key).resolve(document);
      boolean found = accepted.contains(JsonValues.canonicalKey(v));
      for (int i = 0; v.isArray() && i < v.size(); i++) {
        found |= accepted.contains(JsonValues.canonicalKey(v.get(i)));
      }
      assertThat(found).as(() -> what.get() + ": key " + key + " accepts " + accepted + ", found " + v)
          .isTrue();
    });
  }
}
