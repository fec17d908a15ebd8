package dev.dagflow.json.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;

/**
 * JSON helpers of the model: the one mapper dagflow reads and writes specs with, and the
 * canonical copy that makes configs immutable and comparable.
 *
 * <p>A canonical copy is a deep copy in which every integral number is an {@code int} node if it
 * fits, else a {@code long} node if it fits, else a big integer node, and every other number is
 * a {@code double} node. That is exactly what parsing the copy's JSON text gives back, so a value
 * survives a round trip through text unchanged and {@code equals} compares by value. Making one
 * also checks the value against {@link JsonLimits}, so what it accepts can be written and read,
 * and refuses a non-zero number that has no such double: beyond a double's range, or so close to
 * zero that it would become 0 (a subnormal double is kept, rounded as every fraction is).
 */
public final class Json {
  /**
   * Strict reader and writer within {@link JsonLimits}: duplicate keys, trailing tokens, NaN
   * and comments are errors.
   */
  public static final JsonMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder()
              .streamReadConstraints(JsonLimits.readConstraints())
              .streamWriteConstraints(JsonLimits.writeConstraints())
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  /** {@link #MAPPER}'s reader keeping fractions as the decimals written. */
  private static final ObjectReader EXACT_READER =
      MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  /** log2(10): a number of n decimal digits has between (n - 1) * this + 1 and n * this bits. */
  private static final double BITS_PER_DIGIT = Math.log(10) / Math.log(2);
  private static final int SHOWN_KEY = 40;

  private Json() {}

  /**
   * JSON text that could not be read: not well-formed, or beyond a {@link JsonLimits} limit.
   * Carries the line and column (from 1) where the reader stopped.
   */
  public static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    MalformedJsonException(String message, int line, int column, Throwable cause) {
      super(message, cause);
      this.line = line;
      this.column = column;
    }

    /** {@code line 3, column 14}. */
    public String where() {
      return "line " + line + ", column " + column;
    }
  }

  /**
   * Reads a whole document, or {@code null} if the text holds none. Fractions and exponents
   * become decimal nodes, exactly as written: canonical copies turn them into doubles where
   * that is the form, and a message can quote one beyond a double's range as a decimal
   * ({@code 1E+400}) rather than as the {@code Infinity} it would have become.
   *
   * @throws MalformedJsonException with the line and column of the problem
   */
  public static JsonNode readTree(String text) throws MalformedJsonException {
    try (JsonParser parser = MAPPER.createParser(text)) {
      return readTree(parser);
    } catch (IOException e) { // creating or closing a parser over a string: not expected
      throw new MalformedJsonException(e.getMessage(), 1, 1, e);
    }
  }

  private static JsonNode readTree(JsonParser parser)
      throws MalformedJsonException, IOException {
    try {
      JsonNode tree = EXACT_READER.readTree(parser);
      if (tree == null || tree.isMissingNode()) {
        return null;
      }
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new MalformedJsonException("trailing content after the document",
            at.getLineNr(), at.getColumnNr(), null);
      }
      return tree;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      if (at == null || at.getLineNr() < 1) { // limit checks report no location of their own
        at = parser.currentLocation();
      }
      throw new MalformedJsonException(e.getOriginalMessage(), at.getLineNr(),
          at.getColumnNr(), e);
    } catch (NumberFormatException e) {
      // a number literal within the length limit whose exponent no BigDecimal can hold
      JsonLocation at = parser.currentLocation();
      throw new MalformedJsonException("a number out of range: " + cut(e.getMessage(), 200),
          at.getLineNr(), at.getColumnNr(), e);
    }
  }

  /**
   * A canonical deep copy of an object that sits {@code depth} levels down in its document.
   *
   * @throws InvalidJsonException naming the offending place under {@code path}
   */
  public static ObjectNode canonicalCopy(ObjectNode node, String path, int depth) {
    return (ObjectNode) canonical(node, path, depth);
  }

  /**
   * A canonical deep copy of any JSON value that sits {@code depth} levels down in its document.
   *
   * @throws InvalidJsonException naming the offending place under {@code path}: a value that is
   *     not JSON (a POJO or missing node), a number that is not finite, is too long or has no
   *     canonical double (beyond its range, or non-zero and rounding to 0), a key or string too
   *     long, or nesting that would take the document past {@link JsonLimits#MAX_DEPTH}
   */
  public static JsonNode canonical(JsonNode node, String path, int depth) {
    return walk(node, path, depth, Mode.COPY);
  }

  /** Checks a value as {@link #canonical} does, without copying it. */
  public static void check(JsonNode node, String path, int depth) {
    walk(node, path, depth, Mode.CHECK);
  }

  /**
   * Checks what JSON text can hold, numbers kept as written: as {@link #check}, except that a
   * decimal beyond a double's range or below its smallest value passes. For a filter, which
   * compares such numbers exactly, and a whole document whose fields are checked (and their
   * numbers refused, naming the field) as they are read.
   */
  public static void checkExact(JsonNode node, String path, int depth) {
    walk(node, path, depth, Mode.EXACT);
  }

  /** What a walk does with the tree. */
  private enum Mode {
    /** Checks and copies into canonical form. */
    COPY,
    /** Checks that {@link #COPY} would succeed. */
    CHECK,
    /** Checks the limits of JSON text, decimals as written. */
    EXACT
  }

  private static JsonNode walk(JsonNode node, String path, int depth, Mode mode) {
    int room = JsonLimits.MAX_DEPTH - depth;
    try {
      return new Walk(mode, room).value(node, 1);
    } catch (Violation v) {
      throw new InvalidJsonException(v.path(path), v.problem(depth, room));
    }
  }

  /** One walk over a tree; recursion stops at the depth limit, so the stack stays bounded. */
  private static final class Walk {
    private final Mode mode;
    private final boolean copy;
    private final int room;

    Walk(Mode mode, int room) {
      this.mode = mode;
      this.copy = mode == Mode.COPY;
      this.room = room;
    }

    /** The value at nesting {@code level} (1 for the value itself, were it a container). */
    JsonNode value(JsonNode node, int level) {
      switch (node.getNodeType()) {
        case OBJECT -> {
          tooDeep(level);
          ObjectNode result = copy ? NODES.objectNode() : null;
          for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            if (key.length() > JsonLimits.MAX_KEY_LENGTH) {
              throw new Violation("has a key of " + key.length() + " characters; at most "
                  + JsonLimits.MAX_KEY_LENGTH + " are allowed");
            }
            JsonNode child;
            try {
              child = value(e.getValue(), level + 1);
            } catch (Violation v) {
              throw v.under(key);
            }
            if (copy) {
              result.set(key, child);
            }
          }
          return result;
        }
        case ARRAY -> {
          tooDeep(level);
          ArrayNode result = copy ? NODES.arrayNode(node.size()) : null;
          for (int i = 0, n = node.size(); i < n; i++) {
            JsonNode child;
            try {
              child = value(node.get(i), level + 1);
            } catch (Violation v) {
              throw v.under(i);
            }
            if (copy) {
              result.add(child);
            }
          }
          return result;
        }
        case NUMBER -> {
          return number(node);
        }
        case STRING -> {
          int length = node.textValue().length();
          if (length > JsonLimits.MAX_STRING_LENGTH) {
            throw new Violation("is a string of " + length + " characters; at most "
                + JsonLimits.MAX_STRING_LENGTH + " are allowed");
          }
          return node;
        }
        case BOOLEAN, NULL -> {
          return node;
        }
        case BINARY -> {
          // written as base64 text and read back as a string: the copy is that string
          return copy ? NODES.textNode(node.asText()) : node;
        }
        case MISSING -> throw new Violation("is a MissingNode, which is not a JSON value"
            + " (leave the field out instead)");
        default -> throw new Violation("is not a JSON value but a "
            + node.getNodeType().name().toLowerCase(Locale.ROOT) + " node ("
            + node.getClass().getSimpleName() + ")");
      }
    }

    private void tooDeep(int level) {
      if (level > room) {
        throw Violation.tooDeep();
      }
    }

    private JsonNode number(JsonNode n) {
      if (n.isIntegralNumber()) {
        if (n.canConvertToInt()) {
          return copy ? NODES.numberNode(n.intValue()) : n;
        }
        if (n.canConvertToLong()) {
          return copy ? NODES.numberNode(n.longValue()) : n;
        }
        BigInteger big = n.bigIntegerValue();
        checkDigits(big);
        if (!copy) {
          return n;
        }
        if (big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
          return NODES.numberNode(big.longValue());
        }
        return NODES.numberNode(big);
      }
      if (n.isBigDecimal()) {
        BigDecimal d = n.decimalValue();
        checkDigits(d.unscaledValue());
        checkWritten(d);
        if (mode == Mode.EXACT) {
          return n; // JSON text holds it as written; only its canonical double may not exist
        }
        // linear in the digits: toString() and parsing, whatever the exponent
        double value = d.doubleValue();
        if (!Double.isFinite(value)) {
          throw new Violation("is not a finite number: " + d + " is beyond the range of a"
              + " double");
        }
        if (value == 0 && d.signum() != 0) {
          // as 0 it would change meaning ($gt 0, $ne 0), while 1e400 is refused
          throw new Violation("is too close to zero for a double: " + d + " is below the"
              + " smallest double (" + Double.MIN_VALUE + ")");
        }
        return copy ? NODES.numberNode(value) : n;
      }
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new Violation("is not a finite number: " + d);
      }
      // + 0.0 turns -0.0 into 0.0: text reads "-0.0" back as the decimal 0.0, which has no sign
      return copy ? NODES.numberNode(d + 0.0) : n;
    }

    /**
     * Refuses a decimal whose text, as written ({@link BigDecimal#toString}), has more digits
     * than a reader allows: Jackson counts those of the integer part, the fraction and the
     * exponent, so 1,000 digits and an exponent are too many to read back. Constant time once
     * the digits are bounded, whatever the exponent.
     */
    private static void checkWritten(BigDecimal d) {
      long precision = d.precision();
      long scale = d.scale();
      long adjusted = precision - 1 - scale;
      long digits;
      if (scale == 0) {
        digits = precision;
      } else if (scale > 0 && adjusted >= -6) { // plain: 123.45 or 0.00012345
        digits = Math.max(precision, scale + 1);
      } else { // scientific: 1.2345E+400
        digits = precision + String.valueOf(Math.abs(adjusted)).length();
      }
      if (digits > JsonLimits.MAX_NUMBER_LENGTH) {
        throw new Violation("is a number written with " + digits + " digits, exponent"
            + " included; at most " + JsonLimits.MAX_NUMBER_LENGTH + " are allowed");
      }
    }

    /** Refuses integers of over {@link JsonLimits#MAX_NUMBER_LENGTH} digits, in linear time. */
    private static void checkDigits(BigInteger big) {
      int bits = big.bitLength();
      int limit = JsonLimits.MAX_NUMBER_LENGTH;
      if (bits <= (limit - 1) * BITS_PER_DIGIT) {
        return; // fewer than limit digits
      }
      // only near the limit, where the string is short, are digits counted exactly
      int digits = bits > limit * BITS_PER_DIGIT + 1 ? Integer.MAX_VALUE
          : big.abs().toString().length();
      if (digits > limit) {
        throw new Violation("is a number of " + (digits == Integer.MAX_VALUE
            ? "about " + (long) (bits / BITS_PER_DIGIT) : String.valueOf(digits))
            + " digits; at most " + limit + " are allowed");
      }
    }
  }

  /**
   * The first problem found, unwinding to the top with the path to it; no stack trace, since
   * it is caught at once.
   */
  private static final class Violation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Null for nesting too deep, which is reported at the value itself: a path a thousand
     * levels long would help nobody. */
    private final String problem;
    private final ArrayList<Object> segments = new ArrayList<>();

    Violation(String problem) {
      super(null, null, false, false);
      this.problem = problem;
    }

    static Violation tooDeep() {
      return new Violation(null);
    }

    Violation under(Object keyOrIndex) {
      if (problem != null) {
        segments.add(keyOrIndex);
      }
      return this;
    }

    String path(String base) {
      StringBuilder s = new StringBuilder(base);
      for (int i = segments.size() - 1; i >= 0; i--) {
        Object segment = segments.get(i);
        if (segment instanceof Integer index) {
          s.append('[').append(index).append(']');
        } else {
          if (s.length() > 0) {
            s.append('.');
          }
          s.append(cut((String) segment, SHOWN_KEY));
        }
      }
      return s.toString();
    }

    String problem(int depth, int room) {
      if (problem == null) {
        return "nests more than " + room + " levels deep; a document may nest "
            + JsonLimits.MAX_DEPTH + " levels and this value sits " + depth + " down";
      }
      return problem;
    }
  }

  /**
   * A number for messages: as written when short, else its size, since printing a huge
   * integer costs more than it tells.
   */
  public static String showNumber(JsonNode n) {
    if (n.isBigInteger() && n.bigIntegerValue().bitLength() > 400) {
      return "a number of about " + (long) (n.bigIntegerValue().bitLength() / BITS_PER_DIGIT)
          + " digits";
    }
    if (n.isBigDecimal() && n.decimalValue().unscaledValue().bitLength() > 400) {
      return "a number of about " + (long) (n.decimalValue().unscaledValue().bitLength()
          / BITS_PER_DIGIT) + " digits";
    }
    return n.toString();
  }

  /** {@code a string "x"}, {@code null}, {@code an array}, … for messages. */
  public static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    return switch (v.getNodeType()) {
      case NULL -> "null";
      case STRING -> "the string \"" + abbreviate(v.textValue()) + "\"";
      case NUMBER -> "the number " + showNumber(v);
      case BOOLEAN -> v.toString();
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** The text itself if at most {@code max} characters, else its start and "...". */
  public static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static String abbreviate(String s) {
    return cut(s, 60);
  }
}
