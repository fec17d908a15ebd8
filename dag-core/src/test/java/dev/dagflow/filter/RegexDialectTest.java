package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code $regex} is RE2: linear in the subject, with what RE2 cannot do refused when parsed. */
class RegexDialectTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Generous: a linear engine answers in microseconds; a backtracking one never does. */
  private static final Duration BOUND = Duration.ofMillis(500);

  private static Filter regex(String pattern) {
    ObjectNode f = JSON.objectNode();
    f.putObject("s").put("$regex", pattern);
    return Filter.parse(f);
  }

  private static ObjectNode doc(String s) {
    return JSON.objectNode().put("s", s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"((a+)+)+$", "(a{1,10}){1,10}$", "(.*?,){11}P", "^(a|a)*?$",
      "(a*)*b", "(x+x+)+y", "^(\\w+\\s?)*$"})
  void catastrophicPatternsAreAnsweredInMilliseconds(String pattern) {
    for (String subject : new String[] {"a".repeat(40) + "!", "a,".repeat(20),
        "x".repeat(40), "aaaa aaaa ".repeat(4) + "!"}) {
      long start = System.nanoTime();
      boolean matched = regex(pattern).matches(doc(subject));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("%s against %s (matched: %s)", pattern, subject, matched)
          .isLessThan(BOUND);
    }
  }

  @Test
  void catastrophicPatternsGiveTheRightAnswers() {
    String as = "a".repeat(40);
    assertThat(regex("((a+)+)+$").matches(doc(as + "!"))).isFalse();
    assertThat(regex("((a+)+)+$").matches(doc("!" + as))).isTrue();
    assertThat(regex("^((a+)+)+$").matches(doc(as + "!"))).isFalse();
    assertThat(regex("^((a+)+)+$").matches(doc(as))).isTrue();
    assertThat(regex("^(a|a)*?$").matches(doc(as))).isTrue();
    assertThat(regex("^(a|a)*?$").matches(doc(as + "b"))).isFalse();
    assertThat(regex("(.*?,){11}P").matches(doc("a,".repeat(20)))).isFalse();
    assertThat(regex("(.*?,){11}P").matches(doc("a,".repeat(11) + "P"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      (a)\\1       | backreferences (\\1) are not supported
      (?=a)b       | look-ahead and look-behind are not supported
      (?!a)b       | look-ahead and look-behind are not supported
      (?<=a)b      | look-ahead and look-behind are not supported
      (?<!a)b      | look-ahead and look-behind are not supported
      a++          | possessive quantifiers (a++) are not supported
      a*+b         | possessive quantifiers (a++) are not supported
      (?x) a b     | the (?x) flag is not supported
      x{1,2}{3}    | invalid nested repetition operator
      \\Z          | invalid escape sequence
      """)
  void whatRe2CannotDoIsRefusedNamingThePath(String pattern, String reason) {
    ObjectNode f = JSON.objectNode();
    f.putArray("$or").addObject().putObject("name").put("$regex", pattern);
    FilterException e = catchThrowableOfType(FilterException.class, () -> Filter.parse(f));
    assertThat(e.path()).isEqualTo("$or[0].name.$regex");
    assertThat(e.problem()).startsWith("invalid regular expression \"" + pattern + "\": ")
        .contains(reason).endsWith("($regex uses the RE2 syntax)");
  }

  @Test
  void longPatternsAreRefusedBeforeCompiling() {
    String longest = "a".repeat(RegexDialect.MAX_LENGTH);
    assertThat(regex(longest).matches(doc(longest))).isTrue();
    long start = System.nanoTime();
    assertThatThrownBy(() -> regex("a".repeat(100_000)))
        .isInstanceOf(FilterException.class)
        .hasMessage("s.$regex: a regular expression may have at most 1000 characters, this one"
            + " has 100000");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }

  @ParameterizedTest
  @ValueSource(strings = {"((a{1000}){1000}){1000}", "(a{100}){100}", "(\\d{10,40}){30}",
      "(?:x{2,}){999}", "[a-z]{1001,}", "(\\Qabcdefghij\\E){101}"})
  void patternsExpandingToLargeProgramsAreRefusedQuickly(String pattern) {
    long start = System.nanoTime();
    FilterException e = catchThrowableOfType(FilterException.class, () -> regex(pattern));
    assertThat(e.problem()).contains("counted repetitions; at most 1000 are accepted");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }

  @ParameterizedTest
  @ValueSource(strings = {"^\\d{1,3}(\\.\\d{1,3}){3}$", "[a-z]{1,500}", "(ab|cd){1,100}",
      "x{2}y{3,}", "a{,5}", "(?i:AbC){3}"})
  void ordinaryCountedRepetitionsAreAccepted(String pattern) {
    assertThat(regex(pattern)).isNotNull();
  }

  @Test
  void theDialectIsRe2() {
    // flags inline: (?i) case-insensitive, (?s) dot matches a newline, (?m) ^ and $ at lines
    assertThat(regex("(?i)^hello$").matches(doc("HeLLo"))).isTrue();
    assertThat(regex("^a.b$").matches(doc("a\nb"))).isFalse();
    assertThat(regex("(?s)^a.b$").matches(doc("a\nb"))).isTrue();
    assertThat(regex("^b$").matches(doc("a\nb"))).isFalse();
    assertThat(regex("(?m)^b$").matches(doc("a\nb"))).isTrue();
    // $ without (?m) is the end of the text only, not before a final newline as in Java
    assertThat(regex("a$").matches(doc("a\n"))).isFalse();
    // \d, \w, \s and \b are ASCII; \p{..} classes are Unicode
    assertThat(regex("^\\d$").matches(doc("\u0663"))).isFalse();
    assertThat(regex("^\\p{Nd}$").matches(doc("\u0663"))).isTrue();
    assertThat(regex("^\\w+$").matches(doc("\u00e9t\u00e9"))).isFalse();
    assertThat(regex("^\\p{L}+$").matches(doc("\u00e9t\u00e9"))).isTrue();
    assertThat(regex("^(?P<year>\\d{4})-(?<month>\\d{2})$").matches(doc("2026-12"))).isTrue();
    assertThat(regex("^[[:alpha:]]+$").matches(doc("abc"))).isTrue();
    assertThat(regex("\\Qa.b\\E").matches(doc("axb"))).isFalse();
  }
}
