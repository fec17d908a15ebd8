package dev.dagflow.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.internal.FilterSource;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A filter over JSON documents: the one language of event triggers, edge conditions and
 * activation conditions. Parsed and compiled once, then matched against any number of documents.
 *
 * <h2 id="documents">What a filter sees</h2>
 *
 * <p>Each use matches its filter against one JSON document, and every path of the filter starts
 * at one of that document's top-level fields. A path that starts anywhere else could never
 * resolve, so it is refused when the spec or trigger is built, naming the node or trigger, the
 * field and the path ({@link dev.dagflow.spec.InvalidDagException} with a {@link
 * dev.dagflow.spec.SpecProblem.Kind#INVALID_FILTER} problem, or {@link
 * dev.dagflow.trigger.InvalidTriggerException}). A filter alone, parsed here, may use any path.
 *
 * <table>
 *   <caption>The document of each use</caption>
 *   <tr><th>use</th><th>document</th><th>a path starts with</th></tr>
 *   <tr><td>edge condition ({@link dev.dagflow.spec.Edge})</td>
 *       <td>{@code {"result": <the upstream's result>, "state": "<its terminal state>"}};
 *       the result is JSON {@code null} unless the upstream is {@code COMPLETED}</td>
 *       <td>{@code result}, {@code state}</td></tr>
 *   <tr><td>activation condition ({@link dev.dagflow.spec.NodeSpec#activation()})</td>
 *       <td>{@code {"params": <the run's parameters>}}</td>
 *       <td>{@code params}</td></tr>
 *   <tr><td>trigger filter and parameter mapping ({@link dev.dagflow.trigger.EventTrigger})</td>
 *       <td>the whole event, {@link dev.dagflow.trigger.Event#document()}: {@code {"id",
 *       "type", "project", "payload", "time", "cause", "depth"}} ({@code project}, {@code
 *       time}, {@code cause} absent when empty)</td>
 *       <td>{@code id}, {@code type}, {@code project}, {@code payload}, {@code time}, {@code
 *       cause}, {@code depth}</td></tr>
 * </table>
 *
 * <p>So an edge tests {@code {"result.status": 200}}, not {@code {"status": 200}}; an
 * activation {@code {"params.env": "prod"}}; a trigger {@code {"payload.asset.type": "ip",
 * "project": "acme"}}. The same table is in {@code docs/concepts.md}, section Filters.
 *
 * <h2>Language</h2>
 *
 * <p>A filter is a JSON object; a document matches when every key matches ({@code {}} matches
 * everything). A key is a dotted path into the document, such as {@code payload.asset.type}:
 * each segment names an object field or, written in decimal digits, an index into an array
 * ({@code items.0.name}). A path that does not resolve is <em>missing</em>; JSON {@code null} is
 * a value, not missing. A path does not reach into the elements of an array on its own: {@code
 * items.name} is missing when {@code items} is an array. The value of a key is one of:
 *
 * <ul>
 *   <li>a scalar or a literal object (no {@code $} keys, including {@code {}}): the document's
 *       value equals it, or is an array with an element equal to it;
 *   <li>a non-empty list: the value equals one of its elements, or is an array with an element
 *       equal to one of them;
 *   <li>an operator object, whose keys all start with {@code $}: every operator holds.
 * </ul>
 *
 * <p>Operators: {@code $eq} (as a plain value; given an array, it also matches that exact
 * array), {@code $ne} (not {@code $eq}), {@code $in} (a non-empty array, as the list form),
 * {@code $nin} (not {@code $in}), {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} (a number
 * or a string; numbers against numbers, strings against strings by {@link String#compareTo},
 * anything else does not match), {@code $exists} (true or false: whether the path resolves),
 * {@code $regex} (an RE2 regular expression found anywhere in a string value unless anchored;
 * see below), {@code $contains} (an array value with an equal
 * element, or a string value with the string operand as a substring). Where a value is an array,
 * {@code $gt} to {@code $lte} and {@code $regex} match if any element does. A missing value
 * matches only {@code $ne}, {@code $nin} and {@code $exists: false}.
 *
 * <p>Regular expressions are <a href="https://github.com/google/re2/wiki/Syntax">RE2</a>'s
 * (through RE2/J), whose matching time is linear in the length of the value: no pattern can
 * hang a match. Flags go inline: {@code (?i)} case-insensitive (Unicode case folding), {@code
 * (?s)} lets {@code .} match a newline, {@code (?m)} makes {@code ^} and {@code $} match at line
 * breaks, {@code (?U)} swaps greedy and lazy quantifiers; {@code (?i:...)} scopes a flag.
 * Without {@code (?m)}, {@code $} matches only at the very end (not before a final newline, as
 * in {@code java.util.regex}). {@code \d}, {@code \w}, {@code \s} and {@code \b} are ASCII;
 * {@code \p{L}}, {@code \p{Greek}} and other Unicode classes, {@code [[:alpha:]]}, {@code
 * \Q...\E} and named groups {@code (?P<name>...)} and {@code (?<name>...)} work. RE2 has no
 * backreferences, look-ahead or look-behind, possessive quantifiers or {@code (?x)}: a pattern
 * using one is refused with a message naming it. Other Java features RE2 lacks are refused with
 * RE2's own reason: {@code \Z}, {@code \G}, {@code \R} with "invalid escape sequence", atomic
 * groups {@code (?>...)} with "invalid or unsupported Perl syntax". So is a pattern longer than
 * 1,000 characters, or one whose counted repetitions expand it to more than 1,000 atoms ({@code
 * (a{100}){100}}), because what a match costs per character grows with that size.
 *
 * <p>Where paths may appear, {@code $and} and {@code $or} take a non-empty array of filters and
 * {@code $not} one filter, nested to any depth up to 100 levels of JSON.
 *
 * <p>Equality is JSON equality (objects regardless of field order) except that numbers compare
 * by value everywhere, whatever their node type: {@code 1} equals {@code 1.0} and {@code 10 >
 * 9.5}; big integers and decimals compare exactly. A {@code double} stands for the shortest
 * decimal that reads back as it, which is what its JSON text said, so {@code 0.1} equals {@code
 * BigDecimal("0.1")}. A NaN in a document equals and orders against nothing. In the filter
 * itself, a number written as the text of a double ({@code 0.1}, {@code 1.50}) is that double;
 * one that is not ({@code 0.10000000000000001}, {@code 1e400}) is the exact decimal written,
 * and {@link #toJson()} holds each in the node type its text reads back as, so a filter written
 * as text and parsed again is equal to itself. That holds for filters parsed here and for
 * trigger filters; a spec's conditions and activations are free JSON, copied canonically first
 * (see {@code docs/json-format.md}, "Numbers in free JSON"): such a decimal becomes the nearest
 * double there, and {@code 1e400} is refused.
 *
 * <p>A bad filter is refused by {@link #parse} with a {@link FilterException} naming the path of
 * the problem (an unknown operator, an operand of the wrong type, an empty list, a regular
 * expression that does not compile or is refused as above, a path with an empty segment or a
 * segment starting with {@code $}, an object that mixes operators and fields, a value beyond
 * the {@link JsonLimits}), never evaluated as false.
 *
 * <p>Immutable and thread-safe. Equal when their source JSON is equal. No method accepts or
 * returns {@code null}.
 */
public final class Filter {
  private static final Filter ALWAYS = parse(JsonNodeFactory.instance.objectNode());

  private final ObjectNode source;
  private final String text;
  private final Matcher matcher;
  private final Map<String, List<JsonNode>> equalityKeys;
  private final Set<String> paths;

  private Filter(ObjectNode source, FilterCompiler.Compiled compiled) {
    this.source = source;
    this.text = source.toString();
    this.matcher = compiled.matcher();
    this.equalityKeys = compiled.equalityKeys();
    this.paths = compiled.paths();
  }

  /**
   * Parses and compiles a filter; the node is copied, so later changes to it do not matter.
   *
   * @throws FilterException if the filter is not a JSON object or is not valid, including a
   *     value that breaks a {@link JsonLimits} limit or is not JSON (NaN, a POJO or missing
   *     node), as JSON text could not hold it
   */
  public static Filter parse(JsonNode filter) {
    Objects.requireNonNull(filter, "filter");
    if (!(filter instanceof ObjectNode object)) {
      throw new FilterException("", "a filter must be a JSON object, was "
          + Json.describe(filter));
    }
    FilterCompiler.checkDepth(object, 0); // before copying: a deep tree would overflow the copy
    try {
      // before compiling: a huge number would cost quadratic time there. Numbers are kept as
      // written (1e400, 1e-400), which free JSON, and so JsonLimits.check, refuses
      Json.checkExact(object, "", 0);
    } catch (InvalidJsonException e) {
      throw new FilterException(e.path(), e.problem(), e);
    }
    ObjectNode copy = FilterSource.copy(object);
    return new Filter(copy, FilterCompiler.compile(copy));
  }

  /**
   * Parses and compiles a filter from JSON text.
   *
   * @throws FilterException if the text is not well-formed JSON (with path {@code ""} and the
   *     line and column in the message), not an object, or not a valid filter
   */
  public static Filter parse(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode tree;
    try {
      tree = Json.readTree(json);
    } catch (Json.MalformedJsonException e) {
      throw new FilterException("", "malformed JSON at " + e.where() + ": " + e.getMessage(), e);
    }
    if (tree == null) {
      throw new FilterException("", "malformed JSON: the text is empty");
    }
    return parse(tree);
  }

  /** The filter {@code {}}, which matches every document. */
  public static Filter always() {
    return ALWAYS;
  }

  /**
   * Whether the document matches. Any JSON value is a document: for a scalar, an array or a
   * {@code MissingNode}, paths that cannot resolve are missing. Never throws otherwise.
   *
   * @throws NullPointerException if {@code document} is null
   */
  public boolean matches(JsonNode document) {
    return matcher.matches(Objects.requireNonNull(document, "document"));
  }

  /**
   * Matches the document and says why, for a user testing a filter against a sample document.
   * Unlike {@link #matches} it evaluates every key, so all failures are listed; the result is
   * always the same.
   *
   * @throws NullPointerException if {@code document} is null
   */
  public Explanation explain(JsonNode document) {
    Objects.requireNonNull(document, "document");
    List<String> lines = new ArrayList<>();
    boolean matched = matcher.explain(document, lines);
    return new Explanation(matched, lines);
  }

  /**
   * Every path the filter reads, each once, in the order they first appear: the keys at the top
   * level and under {@code $and}, {@code $or} and {@code $not} at any depth, as written ({@code
   * payload.asset.type}). Unmodifiable; empty for {@code {}}. This is what a use checks against
   * its document (see <a href="#documents">What a filter sees</a>).
   */
  public Set<String> paths() {
    return paths;
  }

  /** A copy of the filter's JSON, as it was parsed. */
  public ObjectNode toJson() {
    return source.deepCopy();
  }

  /**
   * The keys whose values every matching document must have, for indexing filters: for each key
   * at the top level or under {@code $and} (not under {@code $or} or {@code $not}) whose value is
   * a scalar, a list of scalars, or an operator object with {@code $eq} of a scalar or {@code
   * $in} of scalars, the values it accepts (where a key is constrained more than once, the
   * smallest of those sets: each alone is necessary, their intersection is not, as different
   * elements of an array may satisfy each). A document can only match if, for each such key, the
   * value at that path, or an element of it if it is an array, is numerically or JSON-equal to
   * one of these.
   *
   * <p>Values are in canonical form ({@link
   * dev.dagflow.json.internal.JsonValues#canonicalKey}): numbers with an integral value that
   * fits in a {@code long} are {@code LongNode}s (both {@code 1} and {@code 1.0} give {@code
   * LongNode(1)}), other numbers {@code DoubleNode}s; an index looks up a document's value in
   * the same form. Unmodifiable, in the filter's key order.
   */
  public Map<String, List<JsonNode>> equalityKeys() {
    return equalityKeys;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Filter f && source.equals(f.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  /** The filter's JSON, compact. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * Whether a filter matched a document and why: one line per key and operator evaluated, and
   * one per {@code $and}, {@code $or}, {@code $not} before the lines of its filters. A line
   * names the key with its place in the filter, what was found and the verdict, as in {@code
   * payload.port: 443 > 400 -> match}, {@code payload.asset.type: "url" is not one of
   * ["domain","ip"] -> no match}, {@code payload.owner: missing -> no match} or {@code $or[1]:
   * 0 of 2 filters match -> no match}. Values are shown as JSON, cut to about 80 characters.
   *
   * <p>Immutable and thread-safe. The wording of lines is for people and may change.
   */
  public static final class Explanation {
    private final boolean matched;
    private final List<String> lines;

    Explanation(boolean matched, List<String> lines) {
      this.matched = matched;
      this.lines = List.copyOf(lines);
    }

    /** Whether the document matched; always what {@link Filter#matches} says. */
    public boolean matched() {
      return matched;
    }

    /** The reasons, in the filter's order; unmodifiable, empty for the filter {@code {}}. */
    public List<String> lines() {
      return lines;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Explanation e && matched == e.matched && lines.equals(e.lines);
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(matched) * 31 + lines.hashCode();
    }

    /** {@code match} or {@code no match}, then each line on its own line, indented. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(matched ? "match" : "no match");
      for (String line : lines) {
        s.append("\n  ").append(line);
      }
      return s.toString();
    }
  }
}
