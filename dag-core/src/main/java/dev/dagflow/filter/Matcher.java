package dev.dagflow.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.json.internal.JsonPath;
import java.util.List;

/**
 * A compiled filter or part of one: the tree {@link FilterCompiler} builds once, evaluated for
 * every document.
 *
 * <p>Immutable and thread-safe. {@link #matches} stops at the first part that decides the result
 * and builds no text; {@link #explain} evaluates every part, so that a user sees every reason.
 */
abstract class Matcher {

  /** Whether the document matches; never throws for a non-null document. */
  abstract boolean matches(JsonNode document);

  /** The same result as {@link #matches}, adding one line per key, operator or combinator. */
  abstract boolean explain(JsonNode document, List<String> lines);

  static String verdict(boolean matched) {
    return matched ? " -> match" : " -> no match";
  }

  /** Parts combined: their explanation counts how many match, under one summary line. */
  abstract static class Combination extends Matcher {
    /** The combinator with its place in the filter; null for one object's keys (no line). */
    private final String label;
    final Matcher[] parts;

    Combination(String label, List<Matcher> parts) {
      this.label = label;
      this.parts = parts.toArray(new Matcher[0]);
    }

    /** Whether the combination holds when {@code matching} of its parts match. */
    abstract boolean holds(int matching);

    @Override
    boolean explain(JsonNode document, List<String> lines) {
      int at = lines.size();
      int matching = 0;
      for (Matcher part : parts) {
        matching += part.explain(document, lines) ? 1 : 0;
      }
      boolean matched = holds(matching);
      if (label != null) {
        lines.add(at, label + ": " + matching + " of " + parts.length + " filters match"
            + verdict(matched));
      }
      return matched;
    }
  }

  /** Every part must match: the keys of one filter object, or {@code $and}. */
  static final class All extends Combination {
    All(String label, List<Matcher> parts) {
      super(label, parts);
    }

    @Override
    boolean matches(JsonNode document) {
      for (Matcher part : parts) {
        if (!part.matches(document)) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean holds(int matching) {
      return matching == parts.length;
    }
  }

  /** {@code $or}: at least one part must match. */
  static final class Any extends Combination {
    Any(String label, List<Matcher> parts) {
      super(label, parts);
    }

    @Override
    boolean matches(JsonNode document) {
      for (Matcher part : parts) {
        if (part.matches(document)) {
          return true;
        }
      }
      return false;
    }

    @Override
    boolean holds(int matching) {
      return matching > 0;
    }
  }

  /** {@code $not}: the part must not match. */
  static final class Not extends Matcher {
    private final String label;
    private final Matcher part;

    Not(String label, Matcher part) {
      this.label = label;
      this.part = part;
    }

    @Override
    boolean matches(JsonNode document) {
      return !part.matches(document);
    }

    @Override
    boolean explain(JsonNode document, List<String> lines) {
      int at = lines.size();
      boolean inner = part.explain(document, lines);
      lines.add(at, label + (inner ? ": the filter matches" : ": the filter does not match")
          + verdict(!inner));
      return !inner;
    }
  }

  /** One key of a filter: a path and the operators its value must pass. */
  static final class AtPath extends Matcher {
    /** The key with its place in the filter, such as {@code $or[1].status}. */
    private final String label;
    private final JsonPath path;
    private final Operator[] operators;

    AtPath(String label, JsonPath path, List<Operator> operators) {
      this.label = label;
      this.path = path;
      this.operators = operators.toArray(new Operator[0]);
    }

    @Override
    boolean matches(JsonNode document) {
      JsonNode value = path.resolve(document);
      for (Operator operator : operators) {
        if (!operator.test(value)) {
          return false;
        }
      }
      return true;
    }

    @Override
    boolean explain(JsonNode document, List<String> lines) {
      JsonNode value = path.resolve(document);
      boolean all = true;
      for (Operator operator : operators) {
        boolean matched = operator.test(value);
        String what = value.isMissingNode() ? "missing" : operator.describe(value, matched);
        lines.add(label + ": " + what + verdict(matched));
        all &= matched;
      }
      return all;
    }
  }
}
