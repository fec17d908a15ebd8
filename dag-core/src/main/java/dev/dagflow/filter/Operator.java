package dev.dagflow.filter;

import static dev.dagflow.json.internal.JsonValues.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableSet;
import com.google.re2j.Pattern;
import dev.dagflow.json.internal.JsonValues;
import java.util.Set;

/**
 * One test of the value at a path: an operator with its operand, checked and prepared when the
 * filter is parsed. The value is a {@code MissingNode} when the path does not resolve.
 *
 * <p>Immutable and thread-safe; {@link #test} allocates nothing except where a regular expression
 * needs a matcher or numbers need {@code BigDecimal}.
 */
abstract class Operator {

  /** Whether the value passes; never throws. */
  abstract boolean test(JsonNode value);

  /**
   * Why a present value gave {@code matched}, as a phrase true of the value, such as {@code 443
   * > 400} or {@code "url" is not one of ["domain","ip"]}.
   */
  abstract String describe(JsonNode value, boolean matched);

  static boolean hasEqualElement(JsonNode array, JsonNode x) {
    if (!array.isArray()) {
      return false;
    }
    for (int i = 0, n = array.size(); i < n; i++) {
      if (JsonValues.equal(array.get(i), x)) {
        return true;
      }
    }
    return false;
  }

  /** {@code $eq} and the plain value forms; negated, {@code $ne}. */
  static final class Equals extends Operator {
    private final JsonNode operand;
    private final boolean negated;

    Equals(JsonNode operand, boolean negated) {
      this.operand = operand;
      this.negated = negated;
    }

    @Override
    boolean test(JsonNode value) {
      if (value.isMissingNode()) {
        return negated;
      }
      return (JsonValues.equal(value, operand) || hasEqualElement(value, operand)) != negated;
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      if (matched != negated) {
        return show(value) + (JsonValues.equal(value, operand) ? " == " : " contains ")
            + show(operand);
      }
      return show(value) + (value.isArray() ? " does not contain " : " != ") + show(operand);
    }
  }

  /** {@code $in} and the list form; negated, {@code $nin}. */
  static final class In extends Operator {
    private final JsonNode list;
    private final JsonNode[] candidates;
    /** Every candidate's text when all are strings, so a string is found by hashing. */
    private final Set<String> strings;
    private final boolean negated;

    In(JsonNode list, boolean negated) {
      this.list = list;
      this.negated = negated;
      this.candidates = new JsonNode[list.size()];
      ImmutableSet.Builder<String> texts = ImmutableSet.builder();
      boolean allStrings = true;
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] = list.get(i);
        if (candidates[i].isTextual()) {
          texts.add(candidates[i].textValue());
        } else {
          allStrings = false;
        }
      }
      this.strings = allStrings ? texts.build() : null;
    }

    @Override
    boolean test(JsonNode value) {
      if (value.isMissingNode()) {
        return negated;
      }
      return holds(value) != negated;
    }

    private boolean holds(JsonNode value) {
      if (isCandidate(value)) {
        return true;
      }
      if (value.isArray()) {
        for (int i = 0, n = value.size(); i < n; i++) {
          if (isCandidate(value.get(i))) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean isCandidate(JsonNode value) {
      if (strings != null) {
        return value.isTextual() && strings.contains(value.textValue());
      }
      for (JsonNode candidate : candidates) {
        if (JsonValues.equal(value, candidate)) {
          return true;
        }
      }
      return false;
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      if (matched != negated) {
        return show(value) + (isCandidate(value) ? " is one of " : " has an element in ")
            + show(list);
      }
      return show(value) + (value.isArray() ? " has no element in " : " is not one of ")
          + show(list);
    }
  }

  /** {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}. */
  static final class Compare extends Operator {
    enum Kind {
      GT(">"), GTE(">="), LT("<"), LTE("<=");

      final String symbol;

      Kind(String symbol) {
        this.symbol = symbol;
      }

      boolean accepts(int comparison) {
        return switch (this) {
          case GT -> comparison > 0;
          case GTE -> comparison >= 0;
          case LT -> comparison < 0;
          case LTE -> comparison <= 0;
        };
      }
    }

    private final Kind kind;
    private final JsonNode operand;
    private final boolean numeric;

    /** {@code operand} is a finite number or a string. */
    Compare(Kind kind, JsonNode operand) {
      this.kind = kind;
      this.operand = operand;
      this.numeric = operand.isNumber();
    }

    @Override
    boolean test(JsonNode value) {
      if (holdsFor(value)) {
        return true;
      }
      if (value.isArray()) {
        for (int i = 0, n = value.size(); i < n; i++) {
          if (holdsFor(value.get(i))) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean holdsFor(JsonNode value) {
      if (numeric) {
        if (!value.isNumber()) {
          return false;
        }
        int c = JsonValues.compareNumbers(value, operand);
        return c != JsonValues.UNORDERED && kind.accepts(c);
      }
      return value.isTextual() && kind.accepts(value.textValue().compareTo(operand.textValue()));
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      String shown = show(value);
      String against = kind.symbol + " " + show(operand);
      if (value.isArray()) {
        return shown + (matched ? " has an element " : " has no element ") + against;
      }
      if (matched) {
        return shown + " " + against;
      }
      boolean comparable = numeric ? value.isNumber() : value.isTextual();
      return shown + " is not " + against
          + (comparable ? "" : numeric ? " (not a number)" : " (not a string)");
    }
  }

  /** {@code $exists}. */
  static final class Exists extends Operator {
    private final boolean wanted;

    Exists(boolean wanted) {
      this.wanted = wanted;
    }

    @Override
    boolean test(JsonNode value) {
      return value.isMissingNode() != wanted;
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      return show(value) + " exists";
    }
  }

  /**
   * {@code $regex} in the RE2 dialect ({@link RegexDialect}), with find semantics: a match
   * anywhere unless the pattern is anchored.
   */
  static final class Regex extends Operator {
    private final Pattern pattern;
    private final JsonNode source;

    Regex(Pattern pattern, JsonNode source) {
      this.pattern = pattern;
      this.source = source;
    }

    @Override
    boolean test(JsonNode value) {
      if (found(value)) {
        return true;
      }
      if (value.isArray()) {
        for (int i = 0, n = value.size(); i < n; i++) {
          if (found(value.get(i))) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean found(JsonNode value) {
      if (!value.isTextual()) {
        return false;
      }
      // RE2 neither backtracks nor recurses on the subject: linear time, bounded stack
      return pattern.matcher(value.textValue()).find();
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      String regex = "regex " + show(source);
      if (value.isArray()) {
        return show(value) + (matched ? " has an element matching " : " has no element matching ")
            + regex;
      }
      return show(value) + (matched ? " matches " : " does not match ") + regex
          + (value.isTextual() ? "" : " (not a string)");
    }
  }

  /** {@code $contains}: an equal element of an array value, or a substring of a string. */
  static final class Contains extends Operator {
    private final JsonNode operand;

    Contains(JsonNode operand) {
      this.operand = operand;
    }

    @Override
    boolean test(JsonNode value) {
      if (value.isArray()) {
        return hasEqualElement(value, operand);
      }
      return value.isTextual() && operand.isTextual()
          && value.textValue().contains(operand.textValue());
    }

    @Override
    String describe(JsonNode value, boolean matched) {
      return show(value) + (matched ? " contains " : " does not contain ") + show(operand)
          + (value.isArray() || value.isTextual() ? "" : " (not an array or string)");
    }
  }
}
