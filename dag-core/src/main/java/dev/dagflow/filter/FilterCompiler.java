package dev.dagflow.filter;

import static dev.dagflow.json.internal.Json.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.dagflow.json.internal.JsonPath;
import dev.dagflow.json.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a filter and compiles it into a {@link Matcher} tree, throwing a {@link
 * FilterException} with the path of the first problem found. Also gathers the filter's
 * equality keys. One compiler compiles one filter; not thread-safe, and not shared.
 */
final class FilterCompiler {
  /** Deeper filters are refused, so that neither compiling nor matching can overflow the stack. */
  static final int MAX_DEPTH = 100;

  private static final List<String> OPERATORS = List.of("$eq", "$ne", "$in", "$nin", "$gt",
      "$gte", "$lt", "$lte", "$exists", "$regex", "$contains");

  /** The compiled filter, its equality keys and every path it reads. */
  record Compiled(Matcher matcher, Map<String, List<JsonNode>> equalityKeys, Set<String> paths) {}

  /** Values per key of which every match needs one; insertion-ordered sets of canonical keys. */
  private final Map<String, Set<JsonNode>> equalityKeys = new LinkedHashMap<>();
  /** Every path a key names, anywhere in the filter, in the order first met. */
  private final Set<String> paths = new LinkedHashSet<>();

  private FilterCompiler() {}

  /** Compiles a filter, which the compiled tree then shares and nobody may change. */
  static Compiled compile(ObjectNode filter) {
    checkDepth(filter, 0);
    FilterCompiler compiler = new FilterCompiler();
    Matcher matcher = compiler.filter(filter, "", true);
    ImmutableMap.Builder<String, List<JsonNode>> keys = ImmutableMap.builder();
    compiler.equalityKeys.forEach((key, values) -> keys.put(key, ImmutableList.copyOf(values)));
    return new Compiled(matcher, keys.build(), ImmutableSet.copyOf(compiler.paths));
  }

  /** Refuses trees deeper than {@link #MAX_DEPTH}; recursion stops at that depth, so it is safe. */
  static void checkDepth(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new FilterException("", "the filter is nested more than " + MAX_DEPTH + " levels deep");
    }
    for (JsonNode child : node) {
      checkDepth(child, depth + 1);
    }
  }

  /**
   * One filter object.
   *
   * @param prefix the place of the object in the whole filter, such as {@code $or[1].}
   * @param required whether every match of the whole filter needs this object to match (true
   *     at the top and under {@code $and}, false under {@code $or} and {@code $not})
   */
  private Matcher filter(ObjectNode filter, String prefix, boolean required) {
    List<Matcher> parts = new ArrayList<>(filter.size());
    for (Map.Entry<String, JsonNode> field : filter.properties()) {
      String key = field.getKey();
      parts.add(key.startsWith("$")
          ? combinator(key, field.getValue(), prefix, required)
          : atPath(key, field.getValue(), prefix, required));
    }
    return parts.size() == 1 ? parts.get(0) : new Matcher.All(null, parts);
  }

  private Matcher combinator(String key, JsonNode value, String prefix, boolean required) {
    String label = prefix + key;
    switch (key) {
      case "$and" -> {
        return new Matcher.All(label, branches(value, label, required));
      }
      case "$or" -> {
        return new Matcher.Any(label, branches(value, label, false));
      }
      case "$not" -> {
        if (!(value instanceof ObjectNode inner)) {
          throw new FilterException(label, "must be a filter object, was " + describe(value));
        }
        return new Matcher.Not(label, filter(inner, label + ".", false));
      }
      default -> {
        if (OPERATORS.contains(key)) {
          throw new FilterException(label, "operator " + key + " applies to a path, as in"
              + " {\"path\": {\"" + key + "\": ...}}");
        }
        throw new FilterException(label, "unknown operator " + key
            + "; a filter's keys are dotted paths or $and, $or, $not");
      }
    }
  }

  private List<Matcher> branches(JsonNode value, String label, boolean required) {
    if (!value.isArray()) {
      throw new FilterException(label, "must be an array of filter objects, was "
          + describe(value));
    }
    if (value.isEmpty()) {
      throw new FilterException(label, "must hold at least one filter");
    }
    List<Matcher> parts = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      String branch = label + "[" + i + "]";
      if (!(value.get(i) instanceof ObjectNode inner)) {
        throw new FilterException(branch, "must be a filter object, was "
            + describe(value.get(i)));
      }
      parts.add(filter(inner, branch + ".", required));
    }
    return parts;
  }

  private Matcher atPath(String key, JsonNode value, String prefix, boolean required) {
    String label = prefix + key;
    JsonPath path;
    try {
      path = JsonPath.parse(key);
    } catch (IllegalArgumentException e) {
      throw new FilterException(label, "a path may not have an empty segment"
          + " (two dots in a row, or a dot at either end)");
    }
    for (String segment : path.segments()) {
      if (segment.startsWith("$")) {
        throw new FilterException(label, "path segment '" + segment + "' starts with '$';"
            + " operators go in an object, as in {\"a\": {\"$gt\": 1}}");
      }
    }
    List<Operator> operators;
    if (value.isArray()) {
      operators = List.of(in(value, label, false));
    } else if (value instanceof ObjectNode object && isOperatorObject(object, label)) {
      operators = operators(object, label);
    } else {
      checkValue(value, label);
      operators = List.of(new Operator.Equals(value, false));
    }
    if (required) {
      addEqualityKey(key, value);
    }
    paths.add(key);
    return new Matcher.AtPath(label, path, operators);
  }

  /** Whether every key is an operator; false for a literal object, refused if it mixes both. */
  private static boolean isOperatorObject(ObjectNode object, String label) {
    List<String> operators = new ArrayList<>();
    List<String> plain = new ArrayList<>();
    object.fieldNames().forEachRemaining(
        name -> (name.startsWith("$") ? operators : plain).add(name));
    if (!operators.isEmpty() && !plain.isEmpty()) {
      throw new FilterException(label, "mixes operators " + operators + " with fields " + plain
          + "; an object is either all operators or a literal value to match exactly");
    }
    return !operators.isEmpty();
  }

  private static List<Operator> operators(ObjectNode object, String label) {
    List<Operator> operators = new ArrayList<>(object.size());
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      operators.add(operator(field.getKey(), field.getValue(), label + "." + field.getKey()));
    }
    return operators;
  }

  private static Operator operator(String name, JsonNode operand, String path) {
    switch (name) {
      case "$eq", "$ne" -> {
        checkValue(operand, path);
        return new Operator.Equals(operand, name.equals("$ne"));
      }
      case "$in", "$nin" -> {
        return in(operand, path, name.equals("$nin"));
      }
      case "$gt" -> {
        return compare(Operator.Compare.Kind.GT, operand, path);
      }
      case "$gte" -> {
        return compare(Operator.Compare.Kind.GTE, operand, path);
      }
      case "$lt" -> {
        return compare(Operator.Compare.Kind.LT, operand, path);
      }
      case "$lte" -> {
        return compare(Operator.Compare.Kind.LTE, operand, path);
      }
      case "$exists" -> {
        if (!operand.isBoolean()) {
          throw new FilterException(path, "must be true or false, was " + describe(operand));
        }
        return new Operator.Exists(operand.booleanValue());
      }
      case "$regex" -> {
        return regex(operand, path);
      }
      case "$contains" -> {
        checkValue(operand, path);
        return new Operator.Contains(operand);
      }
      default -> {
        String known = name.equals("$and") || name.equals("$or") || name.equals("$not")
            ? "; " + name
                + " combines filters and belongs where paths are, not in an operator object"
            : "; known operators are " + String.join(", ", OPERATORS);
        throw new FilterException(path, "unknown operator " + name + known);
      }
    }
  }

  private static Operator in(JsonNode list, String path, boolean negated) {
    if (!list.isArray()) {
      throw new FilterException(path, "must be an array, was " + describe(list));
    }
    if (list.isEmpty()) {
      throw new FilterException(path, "must list at least one value (an empty list matches"
          + (negated ? " everything)" : " nothing)"));
    }
    for (int i = 0; i < list.size(); i++) {
      checkValue(list.get(i), path + "[" + i + "]");
    }
    return new Operator.In(list, negated);
  }

  private static Operator compare(Operator.Compare.Kind kind, JsonNode operand, String path) {
    if (!operand.isNumber() && !operand.isTextual()) {
      throw new FilterException(path, "must be a number or a string, was " + describe(operand));
    }
    checkValue(operand, path);
    return new Operator.Compare(kind, operand);
  }

  private static Operator regex(JsonNode operand, String path) {
    if (!operand.isTextual()) {
      throw new FilterException(path, "must be a regular expression in a string, was "
          + describe(operand));
    }
    return new Operator.Regex(RegexDialect.compile(operand.textValue(), path), operand);
  }

  /** Refuses what JSON text cannot hold: NaN, infinities, and nodes that wrap Java objects. */
  private static void checkValue(JsonNode value, String path) {
    switch (value.getNodeType()) {
      case NUMBER -> {
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
          throw new FilterException(path, "holds a number JSON cannot represent: " + value);
        }
      }
      case STRING, BOOLEAN, NULL -> { }
      case ARRAY, OBJECT -> value.forEach(child -> checkValue(child, path));
      default -> throw new FilterException(path, "holds a value that is not JSON ("
          + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")");
    }
  }

  private void addEqualityKey(String key, JsonNode value) {
    Set<JsonNode> accepted = accepted(value);
    if (accepted != null) {
      // Where a key is constrained more than once, each constraint alone is necessary but their
      // intersection is not: against an array, different elements may satisfy each. So the
      // most selective one is kept.
      equalityKeys.merge(key, accepted, FilterCompiler::smaller);
    }
  }

  private static Set<JsonNode> smaller(Set<JsonNode> a, Set<JsonNode> b) {
    return b.size() < a.size() ? b : a;
  }

  /** The canonical values a key's value form accepts, or null if it is not an equality form. */
  private static Set<JsonNode> accepted(JsonNode value) {
    if (JsonValues.isScalar(value)) {
      return scalars(List.of(value));
    }
    if (value.isArray()) {
      return scalars(value);
    }
    if (!value.isObject() || value.isEmpty() || !value.fieldNames().next().startsWith("$")) {
      return null;
    }
    JsonNode eq = value.get("$eq");
    Set<JsonNode> byEq = eq != null && JsonValues.isScalar(eq) ? scalars(List.of(eq)) : null;
    JsonNode in = value.get("$in");
    Set<JsonNode> byIn = in == null ? null : scalars(in);
    return byEq == null ? byIn : byIn == null ? byEq : smaller(byEq, byIn);
  }

  /** The canonical forms of the values, or null if one is not a scalar. */
  private static Set<JsonNode> scalars(Iterable<JsonNode> values) {
    Set<JsonNode> result = new LinkedHashSet<>();
    for (JsonNode v : values) {
      if (!JsonValues.isScalar(v)) {
        return null;
      }
      result.add(JsonValues.canonicalKey(v));
    }
    return result;
  }
}
