package dev.dagflow.json.internal;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * How the filter language compares JSON values.
 *
 * <p>Numbers compare by value whatever their node type: {@code 1}, {@code 1.0}, {@code 1L} and
 * {@code BigDecimal("1.00")} are equal. A {@code double} (or {@code float}) stands for the
 * decimal number with the fewest digits that parses back to it, which is what the JSON text it
 * was read from said: {@code 0.1} as a double equals {@code BigDecimal("0.1")}, and {@code 1e23}
 * equals the integer 10<sup>23</sup>, although neither double holds that value exactly. (That
 * decimal is computed here, not taken from {@link Double#toString}, which before Java 19 is not
 * always shortest.) NaN equals nothing and is ordered against nothing; infinities order below
 * and above every finite number. Other values are
 * equal when they have the same JSON type and equal contents (objects regardless of field order),
 * numbers inside them again by value.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonValues {
  /** What {@link #compareNumbers} returns when one of the numbers is NaN. */
  public static final int UNORDERED = 2;

  /** Integers of at most this magnitude convert exactly to and from {@code double}. */
  private static final long EXACT_LIMIT = 1L << 53;
  private static final int SHOWN_LENGTH = 80;
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private JsonValues() {}

  /** Whether {@code v} is a string, number, boolean or null. */
  public static boolean isScalar(JsonNode v) {
    return v.isValueNode() && !v.isPojo() && !v.isBinary();
  }

  /** Whether two JSON values are equal, numbers by value at any depth. */
  public static boolean equal(JsonNode a, JsonNode b) {
    if (a == b) {
      return true;
    }
    JsonNodeType type = a.getNodeType();
    if (type != b.getNodeType()) {
      return false;
    }
    return switch (type) {
      case STRING -> a.textValue().equals(b.textValue());
      case NUMBER -> compareNumbers(a, b) == 0;
      case BOOLEAN -> a.booleanValue() == b.booleanValue();
      case NULL -> true;
      case ARRAY -> equalArrays(a, b);
      case OBJECT -> equalObjects(a, b);
      default -> a.equals(b);
    };
  }

  private static boolean equalArrays(JsonNode a, JsonNode b) {
    int n = a.size();
    if (n != b.size()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!equal(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean equalObjects(JsonNode a, JsonNode b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> field : a.properties()) {
      JsonNode other = b.get(field.getKey());
      if (other == null || !equal(field.getValue(), other)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Compares two number nodes by value: negative, zero or positive as {@code a} is less than,
   * equal to or greater than {@code b}, or {@link #UNORDERED} when either is NaN. Plain {@code
   * int}, {@code long} and {@code double} nodes are compared without allocating.
   */
  public static int compareNumbers(JsonNode a, JsonNode b) {
    NumberType ta = a.numberType();
    NumberType tb = b.numberType();
    boolean longA = ta == NumberType.INT || ta == NumberType.LONG;
    boolean longB = tb == NumberType.INT || tb == NumberType.LONG;
    if (longA && longB) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (ta == NumberType.DOUBLE && tb == NumberType.DOUBLE) {
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    if (longA && tb == NumberType.DOUBLE) {
      return compareLongToDouble(a.longValue(), b.doubleValue());
    }
    if (ta == NumberType.DOUBLE && longB) {
      return negate(compareLongToDouble(b.longValue(), a.doubleValue()));
    }
    return compareSlowly(a, b);
  }

  private static int compareDoubles(double x, double y) {
    if (x < y) {
      return -1;
    }
    if (x > y) {
      return 1;
    }
    // equal (including -0.0 and 0.0), or NaN on one side
    return x == y ? 0 : UNORDERED;
  }

  private static int compareLongToDouble(long l, double d) {
    // compared as longs: as doubles, 2^53 + 1 would round into the range
    if (l >= -EXACT_LIMIT && l <= EXACT_LIMIT || !Double.isFinite(d)) {
      return compareDoubles(l, d);
    }
    return compareToDouble(BigDecimal.valueOf(l), d);
  }

  private static int negate(int comparison) {
    return comparison == UNORDERED ? UNORDERED : -comparison;
  }

  private static int compareSlowly(JsonNode a, JsonNode b) {
    // BigDecimal holds neither NaN nor infinities, so a float or double holding one is settled
    // first; the other side, if not floating point, is finite and only its sign matters
    double da = binary(a) ? a.doubleValue() : 0;
    double db = binary(b) ? b.doubleValue() : 0;
    if (Double.isNaN(da) || Double.isNaN(db)) {
      return UNORDERED;
    }
    if (Double.isInfinite(da) || Double.isInfinite(db)) {
      if (da == db) {
        return 0;
      }
      return Double.isInfinite(da) ? (da > 0 ? 1 : -1) : (db > 0 ? -1 : 1);
    }
    if (a.numberType() == NumberType.DOUBLE) {
      return -compareToDouble(decimal(b), a.doubleValue());
    }
    if (b.numberType() == NumberType.DOUBLE) {
      return compareToDouble(decimal(a), b.doubleValue());
    }
    return Integer.signum(decimal(a).compareTo(decimal(b)));
  }

  /** Compares a decimal with a finite double read as its shortest decimal. */
  private static int compareToDouble(BigDecimal x, double d) {
    double rounded = x.doubleValue();
    if (rounded != d) {
      // x rounds to another double, so it lies in that double's rounding interval, on the same
      // side of d's interval (and of d's shortest decimal, which lies in it) as that double
      return rounded < d ? -1 : 1;
    }
    return Integer.signum(x.compareTo(shortest(d)));
  }

  private static boolean binary(JsonNode n) {
    NumberType type = n.numberType();
    return type == NumberType.DOUBLE || type == NumberType.FLOAT;
  }

  /** The value of a finite number node, a float or double read as its shortest decimal. */
  private static BigDecimal decimal(JsonNode n) {
    return switch (n.numberType()) {
      case INT, LONG -> BigDecimal.valueOf(n.longValue());
      case BIG_INTEGER -> new BigDecimal(n.bigIntegerValue());
      case FLOAT -> shortest(n.floatValue());
      case DOUBLE -> shortest(n.doubleValue());
      case BIG_DECIMAL -> n.decimalValue();
    };
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code d} (finite): the
   * exact value rounded to 1, 2, … digits until it does. Seventeen digits always do.
   */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return rounded;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  /** The decimal with the fewest significant digits that parses back to {@code f} (finite). */
  private static BigDecimal shortest(float f) {
    BigDecimal exact = new BigDecimal(f);
    for (int digits = 1; digits < 9; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.floatValue() == f) {
        return rounded;
      }
    }
    return exact.round(new MathContext(9, RoundingMode.HALF_EVEN));
  }

  /**
   * The canonical form of a scalar for hashing: numbers with an integral value that fits in a
   * {@code long} become {@link LongNode}s, other numbers {@link DoubleNode}s; strings, booleans,
   * null and non-scalars are returned as they are. Numerically equal numbers give equal nodes,
   * so a {@code Set<JsonNode>} of canonical keys finds a value by {@link #equal}ity. Numbers
   * beyond double precision may share a key with a different number, never the other way round.
   */
  public static JsonNode canonicalKey(JsonNode v) {
    if (!v.isNumber()) {
      return v;
    }
    NumberType type = v.numberType();
    if (type == NumberType.INT || type == NumberType.LONG) {
      return LongNode.valueOf(v.longValue());
    }
    if (type == NumberType.DOUBLE) {
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        return DoubleNode.valueOf(d);
      }
      if (Math.abs(d) <= EXACT_LIMIT) {
        return d == Math.rint(d) ? LongNode.valueOf((long) d) : DoubleNode.valueOf(d);
      }
    } else if (type == NumberType.FLOAT && !Float.isFinite(v.floatValue())) {
      return DoubleNode.valueOf(v.doubleValue());
    }
    return canonicalKey(decimal(v));
  }

  private static JsonNode canonicalKey(BigDecimal value) {
    if (value.signum() == 0) {
      return LongNode.valueOf(0);
    }
    // Every step costs time linear in the digits written, never in the exponent: no
    // stripTrailingZeros() (quadratic in the zeros stripped), and no setScale() of a scale the
    // exponent alone sets (1e-999999999 would need 10^999999999, or throw).
    // precision - scale is the number of digits before the point: none means |value| < 1, a
    // fraction whatever its scale. Otherwise the scale is below the precision, which the
    // number's length bounds, and comparisons with longs compare adjusted exponents first.
    if (value.precision() - (long) value.scale() > 0
        && value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
      BigDecimal integral = value.setScale(0, RoundingMode.DOWN);
      if (integral.compareTo(value) == 0) {
        return LongNode.valueOf(integral.longValueExact());
      }
    }
    // a fraction, or an integer beyond the range of long: a double, like every such integer
    return DoubleNode.valueOf(value.doubleValue());
  }

  /** The value as compact JSON for explanations, cut to about 80 characters. */
  public static String show(JsonNode v) {
    String s;
    try {
      s = v.toString();
    } catch (RuntimeException unprintable) {
      // a node wrapping a Java object may fail to serialise; an explanation must not fail
      s = "<" + v.getNodeType().name().toLowerCase(Locale.ROOT) + ">";
    }
    return Json.cut(s, SHOWN_LENGTH);
  }
}
