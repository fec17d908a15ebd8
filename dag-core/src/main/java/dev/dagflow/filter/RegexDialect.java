package dev.dagflow.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.dagflow.json.internal.Json;

/**
 * Compiles {@code $regex} operands with RE2/J, whose matching time is linear in the subject: no
 * pattern can backtrack without end. What RE2 cannot do (backreferences, look-around,
 * possessive quantifiers, {@code (?x)}) is refused with a message saying so, and so are patterns
 * that would compile into a large program, because RE2's cost per character of subject grows
 * with the program: longer than {@link #MAX_LENGTH} characters, or with counted repetitions
 * that expand to more than {@link #MAX_SIZE} atoms ({@code (a{100}){100}} is 10,000, and
 * {@code ((a{1000}){1000}){1000}} would exhaust the heap while compiling).
 *
 * <p>Stateless and thread-safe.
 */
final class RegexDialect {
  /**
   * The longest pattern accepted, in characters. Filters are written by people; a longer
   * pattern is almost surely generated or hostile, and compiling one costs time under a lock.
   */
  static final int MAX_LENGTH = 1_000;

  /**
   * The largest program accepted, as atoms after expanding counted repetitions: about what a
   * match costs per character of subject, which keeps a match against a 1 MiB string near a
   * second at the very worst and sub-millisecond for ordinary values.
   */
  static final int MAX_SIZE = 1_000;

  private RegexDialect() {}

  /** The compiled pattern. @throws FilterException naming {@code path} if it is refused */
  static Pattern compile(String regex, String path) {
    if (regex.length() > MAX_LENGTH) {
      throw new FilterException(path, "a regular expression may have at most " + MAX_LENGTH
          + " characters, this one has " + regex.length());
    }
    long size = new Size(regex).total();
    if (size > MAX_SIZE) {
      throw new FilterException(path, "regular expression " + quote(regex) + " expands to"
          + (size == Long.MAX_VALUE ? " too many" : " about " + size) + " atoms through its"
          + " counted repetitions; at most " + MAX_SIZE + " are accepted");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new FilterException(path, "invalid regular expression " + quote(regex) + ": "
          + reason(regex, e) + " ($regex uses the RE2 syntax)", e);
    }
  }

  /** Names what RE2 lacks where its own message is obscure about it. */
  private static String reason(String regex, PatternSyntaxException e) {
    String description = e.getDescription();
    if (regex.contains("(?=") || regex.contains("(?!") || regex.contains("(?<=")
        || regex.contains("(?<!")) {
      return "look-ahead and look-behind are not supported";
    }
    if (description.contains("invalid escape sequence") && hasBackreference(regex)) {
      return "backreferences (\\1) are not supported";
    }
    if (description.contains("nested repetition operator") && (regex.contains("++")
        || regex.contains("*+") || regex.contains("?+") || regex.contains("}+"))) {
      return "possessive quantifiers (a++) are not supported";
    }
    if (regex.contains("(?x")) {
      return "the (?x) flag is not supported";
    }
    return description;
  }

  private static boolean hasBackreference(String regex) {
    for (int i = 0; i + 1 < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        char next = regex.charAt(i + 1);
        if (next >= '1' && next <= '9') {
          return true;
        }
        i++;
      }
    }
    return false;
  }

  private static String quote(String regex) {
    return "\"" + Json.cut(regex, 80) + "\"";
  }

  /**
   * Estimates a pattern's program size in one pass without recursion limits beyond the
   * pattern's own nesting (at most {@link #MAX_LENGTH} / 2 groups): a literal, class or escape
   * is one atom, a group the sum of its alternatives, and a counted repetition multiplies what
   * it repeats by its largest count. It errs high and never throws: a pattern it misreads is
   * refused by the compiler, or at worst estimated too large.
   */
  private static final class Size {
    private final String p;
    private int i;

    Size(String p) {
      this.p = p;
    }

    /** The whole pattern; a stray closing parenthesis does not hide what follows it. */
    long total() {
      long total = alternation();
      while (i < p.length()) {
        i++;
        total = add(total, alternation());
      }
      return total;
    }

    /** Alternatives up to a closing parenthesis or the end: the sum of their sizes. */
    private long alternation() {
      long total = concatenation();
      while (i < p.length() && p.charAt(i) == '|') {
        i++;
        total = add(total, concatenation());
      }
      return total;
    }

    private long concatenation() {
      long total = 0;
      while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
        long atom = atom();
        total = add(total, repeated(atom));
      }
      return total;
    }

    private long atom() {
      char c = p.charAt(i++);
      switch (c) {
        case '(' -> {
          return group();
        }
        case '[' -> {
          skipClass();
          return 1;
        }
        case '\\' -> {
          return escape();
        }
        default -> {
          return 1;
        }
      }
    }

    private long group() {
      if (i < p.length() && p.charAt(i) == '?') {
        int close = i;
        while (close < p.length() && p.charAt(close) != ':' && p.charAt(close) != ')'
            && p.charAt(close) != '>') {
          close++;
        }
        if (close < p.length() && p.charAt(close) == ')') { // flags alone, such as (?i)
          i = close + 1;
          return 0;
        }
        i = Math.min(close + 1, p.length());
      }
      long inner = alternation();
      if (i < p.length() && p.charAt(i) == ')') {
        i++;
      }
      return Math.max(inner, 1);
    }

    private void skipClass() {
      if (i < p.length() && p.charAt(i) == '^') {
        i++;
      }
      if (i < p.length() && p.charAt(i) == ']') {
        i++;
      }
      while (i < p.length() && p.charAt(i) != ']') {
        if (p.charAt(i) == '\\') {
          i++;
          escape();
        } else if (p.startsWith("[:", i)) {
          int end = p.indexOf(":]", i + 2);
          i = end < 0 ? i + 1 : end + 2;
        } else {
          i++;
        }
      }
      i = Math.min(i + 1, p.length());
    }

    /** After a backslash: {@code \Q...\E} counts its characters, others are one atom. */
    private long escape() {
      if (i >= p.length()) {
        return 1;
      }
      char c = p.charAt(i++);
      if (c == 'Q') {
        int end = p.indexOf("\\E", i);
        int stop = end < 0 ? p.length() : end;
        long n = stop - i;
        i = end < 0 ? stop : end + 2;
        return Math.max(n, 1);
      }
      if ((c == 'p' || c == 'P' || c == 'x') && i < p.length() && p.charAt(i) == '{') {
        int end = p.indexOf('}', i);
        i = end < 0 ? p.length() : end + 1;
      }
      return 1;
    }

    /** The atom with the quantifiers that follow it applied. */
    private long repeated(long atom) {
      long size = atom;
      while (i < p.length()) {
        char c = p.charAt(i);
        if (c == '*' || c == '+' || c == '?') {
          i++;
          size = add(size, 1);
        } else if (c == '{') {
          long count = count();
          if (count < 0) {
            return size; // not a repetition: RE2 reads the brace as a literal next
          }
          size = multiply(size, Math.max(count, 1));
        } else {
          return size;
        }
      }
      return size;
    }

    /** The largest count of {@code {n}}, {@code {n,}} (n + 1) or {@code {n,m}}; -1 if none. */
    private long count() {
      int j = i + 1;
      long n = 0;
      long m = -1;
      int digits = 0;
      while (j < p.length() && Character.isDigit(p.charAt(j)) && digits < 10) {
        n = n * 10 + (p.charAt(j++) - '0');
        digits++;
      }
      if (digits == 0 || j >= p.length()) {
        return -1;
      }
      if (p.charAt(j) == ',') {
        j++;
        int mDigits = 0;
        long value = 0;
        while (j < p.length() && Character.isDigit(p.charAt(j)) && mDigits < 10) {
          value = value * 10 + (p.charAt(j++) - '0');
          mDigits++;
        }
        m = mDigits == 0 ? n + 1 : value;
      }
      if (j >= p.length() || p.charAt(j) != '}') {
        return -1;
      }
      i = j + 1;
      return Math.max(n, m);
    }

    private static long add(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
      return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
  }
}
